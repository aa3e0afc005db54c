-- One person's data, found and erased by blind index (SubjectStore, subject.go).

-- name: subject-subscriber-events
SELECT at, event, detail FROM subscriber_events WHERE subscriber_id = ? ORDER BY at, id;

-- name: subject-messages
SELECT id, conversation_id, kind, body_sealed, COALESCE(author_id, 0), message_id, created_at
    FROM contact_messages WHERE conversation_id IN (?/*ids*/) ORDER BY id;

-- name: subject-staff-name
SELECT display_name_sealed FROM staff WHERE id = ?;

-- name: subject-order-erasure
SELECT id, erasure_requested_at FROM shop_orders WHERE email_index = ?;

-- name: subject-outbox
SELECT id, purpose, COALESCE(campaign_id, 0), COALESCE(subscriber_id, 0), message_id, status, attempts,
    last_error, hard_bounce, created_at, next_attempt_at, first_failure_at, COALESCE(sent_at, 0), content_sealed
    FROM mail_outbox WHERE to_index = ? OR (subscriber_id IS NOT NULL AND subscriber_id = ?) ORDER BY id LIMIT ?;

-- name: subject-delete-conversations
DELETE FROM contact_conversations WHERE id IN (?/*ids*/);

-- name: subject-delete-outbox
DELETE FROM mail_outbox WHERE id IN (?/*ids*/);

-- name: erase-buyer-identity
UPDATE shop_orders SET email_index = '', email_sealed = '', name_sealed = '' WHERE id IN (?/*ids*/);

-- name: hold-orders
UPDATE shop_orders SET email_index = ?, erasure_requested_at = ? WHERE id IN (?/*ids*/);
