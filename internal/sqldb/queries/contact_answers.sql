-- name: conversation-by-message-id
SELECT m.message_id, c.id, c.folder, COALESCE(c.assignee_id, 0), c.email_index, c.email_sealed, c.name_sealed,
    c.subject_sealed, c.topic, c.spam_score, c.spam_signals, c.thread_id, c.created_at, c.updated_at, c.folder_changed_at FROM contact_conversations c
    LEFT JOIN contact_messages m ON m.conversation_id = c.id AND m.kind = 'out' AND m.message_id IN (?/*ids*/)
    WHERE c.thread_id IN (?/*ids*/) OR m.id IS NOT NULL;

-- name: inbound-position
SELECT uid_validity, last_uid FROM mail_inbound_state WHERE source = ?;

-- name: set-inbound-position
INSERT INTO mail_inbound_state (source, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (source) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at;
