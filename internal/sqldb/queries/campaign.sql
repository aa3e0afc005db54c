-- name: create-campaign
INSERT INTO campaigns (subject, body_markdown, status, rate_per_second, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?);

-- name: clear-campaign-lists
DELETE FROM campaign_lists WHERE campaign_id = ?;

-- name: add-campaign-list
INSERT INTO campaign_lists (campaign_id, list_id) VALUES (?, ?) ON CONFLICT DO NOTHING;

-- name: update-campaign
UPDATE campaigns SET subject = ?, body_markdown = ?, rate_per_second = ?, updated_at = ?
    WHERE id = ? AND status IN ('draft', 'scheduled');

-- name: campaign-moved
SELECT status FROM campaigns WHERE id = ?;

-- name: campaign
SELECT id, subject, body_markdown, status, rate_per_second, COALESCE(scheduled_at, 0), created_at,
    updated_at, COALESCE(started_at, 0), COALESCE(finished_at, 0), recipients, unsubscribed FROM campaigns WHERE id = ?;

-- name: campaign-lists
SELECT list_id FROM campaign_lists WHERE campaign_id = ? ORDER BY list_id;

-- name: campaigns
SELECT id, subject, body_markdown, status, rate_per_second, COALESCE(scheduled_at, 0), created_at,
    updated_at, COALESCE(started_at, 0), COALESCE(finished_at, 0), recipients, unsubscribed FROM campaigns ORDER BY id DESC;

-- name: start-campaign
UPDATE campaigns SET status = 'sending', started_at = ?, updated_at = ?
    WHERE id = ? AND status IN ('draft', 'scheduled');

-- name: queue-campaign
INSERT INTO mail_outbox (purpose, campaign_id, subscriber_id, message_id, status, next_attempt_at, created_at)
    SELECT 'campaign', ?, s.id, ? || CAST(s.id AS TEXT) || ?, 'queued', ?, ?
    FROM subscribers s
    WHERE s.status = 'confirmed'
    AND EXISTS (SELECT 1 FROM subscriber_lists sl JOIN campaign_lists cl ON cl.list_id = sl.list_id
    	WHERE sl.subscriber_id = s.id AND sl.subscribed = 1 AND cl.campaign_id = ?)
    AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_index = s.email_index);

-- name: set-campaign-recipients
UPDATE campaigns SET recipients = ?, queued_count = queued_count + ? WHERE id = ?;

-- name: move-campaign
UPDATE campaigns SET status = ?, updated_at = ? WHERE status IN (?/*from*/) AND id = ?;

-- name: cancel-campaign
UPDATE campaigns SET status = ?, updated_at = ?, finished_at = updated_at WHERE status IN (?/*from*/) AND id = ?;

-- name: cancel-campaign-outbox
UPDATE mail_outbox SET status = 'cancelled' WHERE campaign_id = ? AND status = 'queued';

-- name: schedule-campaign
UPDATE campaigns SET status = 'scheduled', scheduled_at = ? WHERE id = ? AND status IN ('draft', 'scheduled');

-- name: due-campaigns
SELECT id FROM campaigns WHERE status = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at;
