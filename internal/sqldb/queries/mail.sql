-- name: insert-outbox
INSERT INTO mail_outbox (purpose, subscriber_id, to_sealed, to_index, content_sealed,
    message_id, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?);

-- name: sending-campaigns
SELECT id, rate_per_second FROM campaigns WHERE status = 'sending' ORDER BY id;

-- name: claim-transactional
UPDATE mail_outbox SET status = 'sending', lease_until = ?, claimed_by = ?
    WHERE id IN (SELECT id FROM mail_outbox WHERE campaign_id IS NULL AND status = 'queued' AND next_attempt_at <= ?
                 ORDER BY next_attempt_at, id LIMIT ?{{SKIP_LOCKED}})
    RETURNING id, purpose, COALESCE(campaign_id, 0), COALESCE(subscriber_id, 0), to_sealed,
      content_sealed, message_id, attempts, first_failure_at, lease_until;

-- name: claim-campaign
UPDATE mail_outbox SET status = 'sending', lease_until = ?, claimed_by = ?
    WHERE id IN (SELECT id FROM mail_outbox WHERE campaign_id = ? AND status = 'queued' AND next_attempt_at <= ?
                 ORDER BY next_attempt_at, id LIMIT ?{{SKIP_LOCKED}})
    RETURNING id, purpose, COALESCE(campaign_id, 0), COALESCE(subscriber_id, 0), to_sealed,
      content_sealed, message_id, attempts, first_failure_at, lease_until;

-- name: complete-campaigns
UPDATE campaigns SET status = 'sent', finished_at = ?
    WHERE status = 'sending'
      AND id IN (SELECT campaign_id FROM mail_outbox WHERE id IN (?/*ids*/) AND campaign_id IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status IN ('queued', 'sending'));

-- Settling and releasing return each changed row's campaign (0: transactional), so the
-- campaign's maintained counts move in the same transaction (campaign_counts.go).
-- name: mark-sent
UPDATE mail_outbox SET status = 'sent', sent_at = ?, lease_until = 0
    WHERE status = 'sending' AND id IN (?/*ids*/)
    RETURNING COALESCE(campaign_id, 0);

-- A row whose lease expired and was put back to queued, but whose send had succeeded.
-- name: mark-sent-requeued
UPDATE mail_outbox SET status = 'sent', sent_at = ?, lease_until = 0
    WHERE status = 'queued' AND id IN (?/*ids*/)
    RETURNING COALESCE(campaign_id, 0);

-- name: mark-retry
UPDATE mail_outbox SET status = 'queued', attempts = attempts + 1,
    next_attempt_at = ?, lease_until = 0, last_error = ?,
    first_failure_at = CASE WHEN first_failure_at = 0 THEN ? ELSE first_failure_at END
    WHERE id = ? AND status = 'sending' AND lease_until = ?
    RETURNING COALESCE(campaign_id, 0);

-- name: mark-failed
UPDATE mail_outbox SET status = ?, attempts = attempts + ?, lease_until = 0,
    last_error = ?, hard_bounce = ? WHERE id = ? AND status = 'sending' AND lease_until = ?
    RETURNING COALESCE(campaign_id, 0);

-- name: suppress-bounced
INSERT INTO suppressions (email_index, reason, created_at)
    SELECT x, 'hard_bounce', ? FROM (
    	SELECT CASE WHEN o.to_index <> '' THEN o.to_index ELSE COALESCE(s.email_index, '') END AS x
    	FROM mail_outbox o LEFT JOIN subscribers s ON s.id = o.subscriber_id WHERE o.id = ?) t
    WHERE x <> ''
    ON CONFLICT (email_index) DO NOTHING;

-- name: record-bounce
INSERT INTO subscriber_events (subscriber_id, at, event, detail)
    SELECT subscriber_id, ?, 'bounced', 'hard_bounce' FROM mail_outbox WHERE id = ? AND subscriber_id IS NOT NULL;

-- name: release-outbox
UPDATE mail_outbox SET status = 'queued', lease_until = 0, claimed_by = ''
    WHERE status = 'sending' AND lease_until = ? AND id IN (?/*ids*/)
    RETURNING COALESCE(campaign_id, 0);

-- Claims whose lease expired, or whose instance is gone (no heartbeat row: stale, or
-- the previous incarnation of a restarted instance).
-- name: reclaim-outbox
UPDATE mail_outbox SET status = 'queued', lease_until = 0, claimed_by = ''
    WHERE status = 'sending'
      AND (lease_until < ? OR NOT EXISTS (SELECT 1 FROM mail_instances i WHERE i.id = mail_outbox.claimed_by))
    RETURNING COALESCE(campaign_id, 0);

-- name: instance-heartbeat
INSERT INTO mail_instances (id, name, started_at, heartbeat_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at;

-- Instances that stopped beating, and earlier incarnations of this instance's name.
-- name: forget-instances
DELETE FROM mail_instances
    WHERE id <> ? AND (heartbeat_at < ? OR (name <> '' AND name = ?));

-- name: complete-idle-campaigns
UPDATE campaigns SET status = 'sent', finished_at = ?
    WHERE status = 'sending'
      AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status IN ('queued', 'sending'));

-- name: campaign-outbox-counts
SELECT queued_count, sending_count, sent_count, failed_count, bounced_count, dead_count, cancelled_count
    FROM campaigns WHERE id = ?;

-- A campaign's maintained counts move by the given differences (one statement per
-- campaign and batch, never per row).
-- name: bump-campaign-counts
UPDATE campaigns SET queued_count = queued_count + ?, sending_count = sending_count + ?,
    sent_count = sent_count + ?, failed_count = failed_count + ?, bounced_count = bounced_count + ?,
    dead_count = dead_count + ?, cancelled_count = cancelled_count + ?
    WHERE id = ?;

-- The campaign rows about to be deleted (a subscriber erased, outbox rows of a data
-- subject deleted), locked, so their counts leave the campaign's.
-- name: subscriber-campaign-rows
SELECT campaign_id, status, hard_bounce FROM mail_outbox
    WHERE subscriber_id = ? AND campaign_id IS NOT NULL{{FOR_UPDATE}};

-- name: outbox-campaign-rows
SELECT campaign_id, status, hard_bounce FROM mail_outbox
    WHERE id IN (?/*ids*/) AND campaign_id IS NOT NULL{{FOR_UPDATE}};

-- name: purge-finished
DELETE FROM mail_outbox WHERE campaign_id IS NULL AND status IN ('sent', 'dead', 'cancelled')
    AND COALESCE(sent_at, created_at) < ?;
