-- name: subscriber-page
SELECT id, email_index, email_sealed, name_sealed, status, consent_source, consent_text_hash,
    created_at, COALESCE(confirmed_at, 0), confirmation_sent_at, updated_at FROM subscribers/*where*/
    /*order*/ LIMIT ? OFFSET ?;

-- name: each-subscriber
SELECT id, email_index, email_sealed, name_sealed, status, consent_source, consent_text_hash,
    created_at, COALESCE(confirmed_at, 0), confirmation_sent_at, updated_at FROM subscribers/*where*/
    ORDER BY id LIMIT 1000;

-- name: count-subscribers
SELECT COUNT(*) FROM subscribers/*where*/;

-- name: subscribed-lists
SELECT subscriber_id, list_id FROM subscriber_lists WHERE subscribed = 1 AND subscriber_id IN (?/*ids*/)
    ORDER BY subscriber_id, list_id;

-- name: subscriber-events
SELECT at, event, detail FROM subscriber_events WHERE subscriber_id = ? ORDER BY at, id;

-- name: known-subscribers
SELECT email_index FROM subscribers WHERE email_index IN (?/*indexes*/);

-- name: known-suppressions
SELECT email_index FROM suppressions WHERE email_index IN (?/*indexes*/);

-- One statement for a batch: the rows as a VALUES table, the suppression and
-- uniqueness conditions repeated in the INSERT itself.
-- name: import-subscribers
WITH v (email_index, email_sealed, name_sealed) AS (VALUES (?, ?, ?)/*rows*/)
    INSERT INTO subscribers (email_index, email_sealed, name_sealed, status, consent_source,
        consent_text_hash, created_at, confirmed_at, confirmation_sent_at, updated_at)
    SELECT v.email_index, v.email_sealed, v.name_sealed, 'confirmed', CAST(? AS TEXT), '', CAST(? AS BIGINT), CAST(? AS BIGINT), 0, CAST(? AS BIGINT)
    FROM v WHERE NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_index = v.email_index)
    ON CONFLICT (email_index) DO NOTHING RETURNING id;

-- name: import-memberships
INSERT INTO subscriber_lists (subscriber_id, list_id, subscribed, updated_at)
    SELECT s.id, l.id, 1, CAST(? AS BIGINT) FROM subscribers s, newsletter_lists l
    WHERE s.id IN (?/*ids*/) AND l.id IN (?/*lists*/);

-- name: import-events
INSERT INTO subscriber_events (subscriber_id, at, event, detail)
    SELECT id, CAST(? AS BIGINT), 'imported', '' FROM subscribers WHERE id IN (?/*ids*/);

-- name: count-recipients
SELECT COUNT(*) FROM subscribers s
    WHERE s.status = 'confirmed'
    AND EXISTS (SELECT 1 FROM subscriber_lists sl JOIN campaign_lists cl ON cl.list_id = sl.list_id
        WHERE sl.subscriber_id = s.id AND sl.subscribed = 1 AND cl.campaign_id = ?)
    AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_index = s.email_index);

-- name: outbox-counts
SELECT id, queued_count, sending_count, sent_count, failed_count, bounced_count, dead_count, cancelled_count
    FROM campaigns WHERE id IN (?/*ids*/);
