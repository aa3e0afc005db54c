-- name: create-conversation
INSERT INTO contact_conversations (folder, email_index, email_sealed, name_sealed,
    subject_sealed, topic, spam_score, spam_signals, thread_id, created_at, updated_at, folder_changed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: add-first-message
INSERT INTO contact_messages (conversation_id, kind, body_sealed, author_id, message_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?);

-- name: count-conversations
SELECT COUNT(*) FROM contact_conversations c/*where*/;

-- name: conversations
SELECT c.id, c.folder, COALESCE(c.assignee_id, 0), c.email_index, c.email_sealed, c.name_sealed,
    c.subject_sealed, c.topic, c.spam_score, c.spam_signals, c.thread_id, c.created_at, c.updated_at, c.folder_changed_at, COALESCE((SELECT m.body_sealed FROM contact_messages m WHERE m.conversation_id = c.id AND m.kind = 'in'
    ORDER BY m.id DESC LIMIT 1), '') FROM contact_conversations c/*where*/
    ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?;

-- name: conversation
SELECT c.id, c.folder, COALESCE(c.assignee_id, 0), c.email_index, c.email_sealed, c.name_sealed,
    c.subject_sealed, c.topic, c.spam_score, c.spam_signals, c.thread_id, c.created_at, c.updated_at, c.folder_changed_at FROM contact_conversations c WHERE c.id = ?;

-- name: conversation-messages
SELECT id, conversation_id, kind, body_sealed, COALESCE(author_id, 0), message_id, created_at
    FROM contact_messages WHERE conversation_id = ? ORDER BY id;

-- name: folder-counts
SELECT folder, COUNT(*) FROM contact_conversations GROUP BY folder;

-- name: move-conversations
UPDATE contact_conversations SET folder = ?, folder_changed_at = ? WHERE folder <> ? AND id IN (?/*ids*/);

-- name: assign-conversations
UPDATE contact_conversations SET assignee_id = ? WHERE id IN (?/*ids*/);

-- name: reopen-conversation
UPDATE contact_conversations SET updated_at = ?,
    folder_changed_at = CASE WHEN folder = ? THEN folder_changed_at ELSE ? END, folder = ? WHERE id = ?;

-- name: touch-conversation
UPDATE contact_conversations SET updated_at = ? WHERE id = ?;

-- name: add-message
INSERT INTO contact_messages (conversation_id, kind, body_sealed, author_id, message_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?);

-- name: purge-contact-outbox
DELETE FROM mail_outbox WHERE campaign_id IS NULL AND message_id IN
    (SELECT m.message_id FROM contact_messages m JOIN contact_conversations c ON c.id = m.conversation_id
     WHERE c.folder = ? AND c.folder_changed_at < ? AND m.kind = 'out' AND m.message_id <> '');

-- name: purge-contact-messages
DELETE FROM contact_messages WHERE conversation_id IN
    (SELECT id FROM contact_conversations WHERE folder = ? AND folder_changed_at < ?);

-- name: purge-conversations
DELETE FROM contact_conversations WHERE folder = ? AND folder_changed_at < ?;

-- name: staff-emails
SELECT email_sealed FROM staff WHERE disabled_at IS NULL AND role IN (?/*roles*/) ORDER BY id;

-- name: staff-role
SELECT role, disabled_at FROM staff WHERE id = ?;
