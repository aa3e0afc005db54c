-- The retention rules no domain store has (RetentionStore, retention.go; docs/privacy.md).

-- Idle conversations: new, open or waiting, no activity since the cut-off. The outbox
-- copies of their replies go first, then their messages, then the conversations.
-- name: purge-idle-conversation-outbox
DELETE FROM mail_outbox WHERE campaign_id IS NULL AND message_id IN
    (SELECT message_id FROM contact_messages WHERE kind = 'out' AND message_id <> '' AND conversation_id IN
        (SELECT id FROM contact_conversations WHERE folder IN ('new', 'open', 'waiting') AND updated_at < ?));

-- name: purge-idle-conversation-messages
DELETE FROM contact_messages WHERE conversation_id IN
    (SELECT id FROM contact_conversations WHERE folder IN ('new', 'open', 'waiting') AND updated_at < ?);

-- name: purge-idle-conversations
DELETE FROM contact_conversations WHERE folder IN ('new', 'open', 'waiting') AND updated_at < ?;

-- name: purge-checkouts
DELETE FROM shop_orders WHERE status = 'failed' AND paid_at = 0
    AND invoice_no IS NULL AND updated_at < ?;

-- name: pseudonymise-orders
UPDATE shop_orders SET email_index = 'erased:' || ref, email_sealed = '', name_sealed = '',
    method_id = '', payment_id = '', session_id = '', card_brand = '', card_last4 = '', card_exp_month = 0, card_exp_year = 0
    WHERE paid_at > 0 AND paid_at < ? AND email_sealed <> '';

-- name: purge-payment-events
DELETE FROM shop_payment_events WHERE received_at < ?;

-- Staff disabled before the cut-off: what they made loses its author, what is theirs
-- alone goes, then the accounts.
-- name: gone-staff-messages
UPDATE contact_messages SET author_id = NULL WHERE author_id IN
    (SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?);

-- name: gone-staff-assignments
UPDATE contact_conversations SET assignee_id = NULL WHERE assignee_id IN
    (SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?);

-- name: gone-staff-campaigns
UPDATE campaigns SET created_by = NULL WHERE created_by IN
    (SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?);

-- name: gone-staff-refunds
UPDATE shop_refunds SET staff_id = NULL WHERE staff_id IN
    (SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?);

-- name: gone-staff-sessions
DELETE FROM staff_sessions WHERE staff_id IN
    (SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?);

-- name: gone-staff-recovery-codes
DELETE FROM staff_recovery_codes WHERE staff_id IN
    (SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?);

-- name: gone-staff-report-subscriptions
DELETE FROM stats_report_subscriptions WHERE staff_id IN
    (SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?);

-- name: purge-disabled-staff
DELETE FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?;

-- name: purge-stat-cells
DELETE FROM stat_cells WHERE day < ?;

-- name: purge-stats
DELETE FROM stats WHERE day < ?;

-- name: purge-data-requests
DELETE FROM data_requests WHERE (done_at > 0 AND done_at < ?) OR (done_at = 0 AND received_at < ?);
