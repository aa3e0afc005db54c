-- name: outbox-messages
SELECT id, purpose, COALESCE(campaign_id, 0), COALESCE(subscriber_id, 0), message_id, status, attempts,
    last_error, hard_bounce, created_at, next_attempt_at, first_failure_at, COALESCE(sent_at, 0) FROM mail_outbox/*where*/
    ORDER BY id DESC LIMIT ?;

-- name: outbox-status-counts
SELECT status, COUNT(*) FROM mail_outbox GROUP BY status;

-- name: outbox-message
SELECT id, purpose, COALESCE(campaign_id, 0), COALESCE(subscriber_id, 0), message_id, status, attempts,
    last_error, hard_bounce, created_at, next_attempt_at, first_failure_at, COALESCE(sent_at, 0), to_sealed, content_sealed FROM mail_outbox WHERE id = ?;

-- name: requeue-dead
UPDATE mail_outbox SET status = 'queued', attempts = 0, next_attempt_at = ?, lease_until = 0,
    first_failure_at = 0, last_error = ''
    WHERE id = ? AND status = 'dead'
    AND (campaign_id IS NULL OR campaign_id IN (SELECT id FROM campaigns WHERE status IN ('sending', 'paused')))
    RETURNING COALESCE(campaign_id, 0);

-- name: outbox-row-status
SELECT status, COALESCE(campaign_id, 0) FROM mail_outbox WHERE id = ?;
