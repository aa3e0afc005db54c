-- name: record-payment-event
INSERT INTO shop_payment_events (event_id, type, received_at) VALUES (?, ?, ?)
    ON CONFLICT (event_id) DO NOTHING;

-- name: save-order
UPDATE shop_orders SET status = ?, refunded = ?, refund_reserved = ?, attempt = ?,
    attempt_state = ?, attempt_at = ?, last_error = ?, method_id = ?, payment_id = ?, session_id = ?,
    card_brand = ?, card_last4 = ?, card_exp_month = ?, card_exp_year = ?, invoice_no = ?, updated_at = ?,
    paid_at = ? WHERE id = ?;

-- name: next-invoice-number
UPDATE shop_invoice_seq SET last = last + 1 WHERE id = 1 RETURNING last;

-- name: add-licence
INSERT INTO shop_licences (order_id, licence_id, licence_key, seats, expires_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?);

-- name: revoke-licences
UPDATE shop_licences SET revoked_at = ? WHERE order_id = ? AND revoked_at = 0/*and*/;

-- name: add-refund
INSERT INTO shop_refunds (order_id, amount, idempotency_key, status, staff_id, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: set-refund
UPDATE shop_refunds SET status = ?, processor_id = ?, updated_at = ? WHERE id = ?;

-- name: release-coupon
UPDATE shop_coupons SET used = used - 1 WHERE id = ? AND used > 0;

-- name: retake-coupon
UPDATE shop_coupons SET used = used + 1 WHERE id = ?;
