-- The privacy checks (PromiseStore, promises.go and promises_overdue.go;
-- internal/promises): their stored results, the owners they mail, stuck mail, and the
-- counts of records past their retention period.

-- name: privacy-check-results
SELECT check_id, status, message, details, ran_at, changed_at FROM privacy_checks ORDER BY check_id;

-- changed_at moves only when the status changes.
-- name: save-privacy-check
INSERT INTO privacy_checks (check_id, status, message, details, ran_at, changed_at)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (check_id) DO UPDATE SET
    changed_at = CASE WHEN privacy_checks.status = excluded.status THEN privacy_checks.changed_at ELSE excluded.changed_at END,
    status = excluded.status, message = excluded.message, details = excluded.details, ran_at = excluded.ran_at;

-- name: active-owner-emails
SELECT email_sealed FROM staff WHERE role = 'owner' AND disabled_at IS NULL ORDER BY id;

-- name: transactional-queued-before
SELECT COUNT(*) FROM mail_outbox WHERE campaign_id IS NULL
    AND status IN ('queued', 'sending') AND created_at < ?;

-- What each time-bound retention step deletes or blanks (retention.sql and the domain
-- stores' purges) that is older than the cut-off: every ? is the cut-off.
-- name: overdue-pending
SELECT COUNT(*) FROM subscribers WHERE status = 'pending' AND confirmation_sent_at < ?;

-- name: overdue-outbox
SELECT COUNT(*) FROM mail_outbox WHERE campaign_id IS NULL AND status IN ('sent', 'dead', 'cancelled')
    AND COALESCE(sent_at, created_at) < ?;

-- name: overdue-contact-spam
SELECT COUNT(*) FROM contact_conversations WHERE folder = 'spam' AND folder_changed_at < ?;

-- name: overdue-contact-review
SELECT COUNT(*) FROM contact_conversations WHERE folder = 'review' AND folder_changed_at < ?;

-- name: overdue-contact-closed
SELECT COUNT(*) FROM contact_conversations WHERE folder = 'closed' AND folder_changed_at < ?;

-- name: overdue-contact-idle
SELECT COUNT(*) FROM contact_conversations WHERE folder IN ('new', 'open', 'waiting') AND updated_at < ?;

-- name: overdue-checkouts
SELECT COUNT(*) FROM shop_orders WHERE status = 'failed' AND paid_at = 0
    AND invoice_no IS NULL AND updated_at < ?;

-- name: overdue-orders
SELECT COUNT(*) FROM shop_orders WHERE paid_at > 0 AND paid_at < ? AND email_sealed <> '';

-- name: overdue-payment-events
SELECT COUNT(*) FROM shop_payment_events WHERE received_at < ?;

-- name: overdue-staff-accounts
SELECT COUNT(*) FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?;

-- name: overdue-staff-sessions
SELECT COUNT(*) FROM staff_sessions WHERE last_seen_at < ?;

-- name: overdue-stat-cells
SELECT COUNT(*) FROM stat_cells WHERE day < ?;

-- name: overdue-stats
SELECT COUNT(*) FROM stats WHERE day < ?;

-- Answered before the cut-off, or unanswered and received before it (purge-data-requests).
-- name: overdue-data-requests
SELECT COUNT(*) FROM data_requests WHERE (done_at > 0 AND done_at < ?) OR (done_at = 0 AND received_at < ?);
