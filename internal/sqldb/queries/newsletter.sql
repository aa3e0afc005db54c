-- name: newsletter-lists
SELECT id, slug, name, description FROM newsletter_lists ORDER BY name;

-- name: subscriber-by-index
SELECT id, email_index, email_sealed, name_sealed, status, consent_source, consent_text_hash,
    created_at, COALESCE(confirmed_at, 0), confirmation_sent_at, updated_at FROM subscribers WHERE email_index = ?;

-- name: subscriber-by-id
SELECT id, email_index, email_sealed, name_sealed, status, consent_source, consent_text_hash,
    created_at, COALESCE(confirmed_at, 0), confirmation_sent_at, updated_at FROM subscribers WHERE id = ?;

-- name: lock-subscriber
SELECT id, email_index, email_sealed, name_sealed, status, consent_source, consent_text_hash,
    created_at, COALESCE(confirmed_at, 0), confirmation_sent_at, updated_at FROM subscribers WHERE id = ?{{FOR_UPDATE}};

-- name: insert-subscriber
INSERT INTO subscribers (email_index, email_sealed, name_sealed, status,
    consent_source, consent_text_hash, created_at, confirmation_sent_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: refresh-subscriber
UPDATE subscribers SET email_sealed = ?,
    name_sealed = CASE WHEN status = 'confirmed' THEN name_sealed ELSE ? END,
    status = CASE WHEN status = 'confirmed' THEN status ELSE ? END,
    consent_source = CASE WHEN status = 'confirmed' THEN consent_source ELSE ? END,
    consent_text_hash = CASE WHEN status = 'confirmed' THEN consent_text_hash ELSE ? END,
    confirmation_sent_at = ?, updated_at = ? WHERE id = ?;

-- name: add-subscriber-event
INSERT INTO subscriber_events (subscriber_id, at, event, detail) VALUES (?, ?, ?, ?);

-- name: confirm-subscriber
UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, updated_at = ? WHERE id = ? AND status <> 'confirmed';

-- name: confirm-subscriber-signup
UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, updated_at = ?,
    name_sealed = ?, consent_source = ?, consent_text_hash = ? WHERE id = ? AND status <> 'confirmed';

-- name: unsuppress-unsubscribed
DELETE FROM suppressions WHERE email_index = ? AND reason = 'unsubscribed';

-- name: set-membership
INSERT INTO subscriber_lists (subscriber_id, list_id, subscribed, updated_at)
    SELECT CAST(? AS BIGINT), l.id, CAST(? AS INTEGER), CAST(? AS BIGINT) FROM newsletter_lists l WHERE l.id = ?
    ON CONFLICT (subscriber_id, list_id) DO UPDATE SET subscribed = excluded.subscribed, updated_at = excluded.updated_at;

-- name: join-unless-changed-since
INSERT INTO subscriber_lists (subscriber_id, list_id, subscribed, updated_at)
    SELECT CAST(? AS BIGINT), l.id, 1, CAST(? AS BIGINT) FROM newsletter_lists l WHERE l.id = ?
    ON CONFLICT (subscriber_id, list_id) DO UPDATE SET subscribed = 1, updated_at = excluded.updated_at
    WHERE subscriber_lists.updated_at <= ?;

-- name: subscriber-email-index
SELECT email_index FROM subscribers WHERE id = ?;

-- name: suppress-erased
INSERT INTO suppressions (email_index, reason, created_at) VALUES (?, ?, ?)
    ON CONFLICT (email_index) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at;

-- name: delete-subscriber
DELETE FROM subscribers WHERE id = ?;

-- name: count-unsubscribed
UPDATE campaigns SET unsubscribed = unsubscribed + 1 WHERE id = ?;

-- name: memberships
SELECT l.id, l.slug, l.name, l.description, sl.subscribed FROM subscriber_lists sl
    JOIN newsletter_lists l ON l.id = sl.list_id WHERE sl.subscriber_id = ? ORDER BY l.name;

-- name: suppression
SELECT reason FROM suppressions WHERE email_index = ?;

-- name: purge-pending
DELETE FROM subscribers WHERE status = 'pending' AND confirmation_sent_at < ?;

-- name: insert-signup-intake
INSERT INTO signup_intake (payload_sealed, created_at) VALUES (?, ?);

-- name: signup-intakes
SELECT id, payload_sealed, created_at FROM signup_intake WHERE created_at <= ? ORDER BY id LIMIT ?;

-- name: delete-signup-intake
DELETE FROM signup_intake WHERE id = ?;
