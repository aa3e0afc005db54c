-- name: use-coupon
UPDATE shop_coupons SET used = used + 1 WHERE id = ? AND (max_uses = 0 OR used < max_uses);

-- name: insert-order
INSERT INTO shop_orders (ref, status, mode, email_index, email_sealed, name_sealed,
    country, product_id, edition_id, product_slug, edition_slug, product_name, edition_name, seats, term_days,
    quantity, currency, unit_amount, subtotal, discount, tax, tax_rate, tax_inclusive, total, coupon_id,
    coupon_code, attempt_state, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: order
SELECT id, ref, status, mode, email_index, email_sealed, name_sealed, country, product_id, edition_id,
    product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency, unit_amount,
    subtotal, discount, tax, tax_rate, tax_inclusive, total, COALESCE(coupon_id, 0), coupon_code, refunded,
    refund_reserved, attempt, attempt_state, attempt_at, last_error, method_id, payment_id, session_id,
    card_brand, card_last4, card_exp_month, card_exp_year, COALESCE(invoice_no, 0), created_at, updated_at, paid_at FROM shop_orders/*where*/;

-- name: lock-order
SELECT id, ref, status, mode, email_index, email_sealed, name_sealed, country, product_id, edition_id,
    product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency, unit_amount,
    subtotal, discount, tax, tax_rate, tax_inclusive, total, COALESCE(coupon_id, 0), coupon_code, refunded,
    refund_reserved, attempt, attempt_state, attempt_at, last_error, method_id, payment_id, session_id,
    card_brand, card_last4, card_exp_month, card_exp_year, COALESCE(invoice_no, 0), created_at, updated_at, paid_at FROM shop_orders/*where*/{{FOR_UPDATE}};

-- name: orders
SELECT id, ref, status, mode, email_index, email_sealed, name_sealed, country, product_id, edition_id,
    product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency, unit_amount,
    subtotal, discount, tax, tax_rate, tax_inclusive, total, COALESCE(coupon_id, 0), coupon_code, refunded,
    refund_reserved, attempt, attempt_state, attempt_at, last_error, method_id, payment_id, session_id,
    card_brand, card_last4, card_exp_month, card_exp_year, COALESCE(invoice_no, 0), created_at, updated_at, paid_at FROM shop_orders/*where*/
    ORDER BY id DESC LIMIT ? OFFSET ?;

-- name: count-orders
SELECT COUNT(*) FROM shop_orders/*where*/;

-- name: licences
SELECT id, order_id, licence_id, licence_key, seats, expires_at, revoked_at, created_at
    FROM shop_licences WHERE order_id = ? ORDER BY id;

-- name: revoked-licences
SELECT licence_id FROM shop_licences WHERE revoked_at <> 0 ORDER BY revoked_at, id;

-- name: refunds
SELECT id, order_id, amount, idempotency_key, processor_id, status, COALESCE(staff_id, 0), created_at, updated_at FROM shop_refunds
    WHERE order_id = ? ORDER BY id;

-- name: pending-refunds
SELECT id, order_id, amount, idempotency_key, processor_id, status, COALESCE(staff_id, 0), created_at, updated_at FROM shop_refunds
    WHERE status = 'pending' AND updated_at < ? ORDER BY id LIMIT ?;

-- name: unsettled
SELECT id, ref, status, mode, email_index, email_sealed, name_sealed, country, product_id, edition_id,
    product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency, unit_amount,
    subtotal, discount, tax, tax_rate, tax_inclusive, total, COALESCE(coupon_id, 0), coupon_code, refunded,
    refund_reserved, attempt, attempt_state, attempt_at, last_error, method_id, payment_id, session_id,
    card_brand, card_last4, card_exp_month, card_exp_year, COALESCE(invoice_no, 0), created_at, updated_at, paid_at FROM shop_orders WHERE status = 'pending' AND
    	((attempt_state IN ('charging', 'unknown', 'action') AND attempt_at < ?) OR (attempt_state = 'open' AND created_at < ?))
    	ORDER BY id LIMIT ?;

-- name: sales-report
SELECT paid_at / 86400000, product_name, currency, COUNT(*), SUM(quantity), SUM(total), SUM(tax), SUM(refunded)
    FROM shop_orders WHERE paid_at >= ? AND paid_at < ? AND status IN ('paid', 'fulfilled', 'refunded', 'disputed')
    GROUP BY paid_at / 86400000, product_name, currency ORDER BY 1, 2, 3;

-- name: funnel
SELECT
    COALESCE(SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN paid_at >= ? AND paid_at < ? THEN 1 ELSE 0 END), 0)
    FROM shop_orders WHERE (created_at >= ? AND created_at < ?) OR (paid_at >= ? AND paid_at < ?);

-- name: coupon-holds
SELECT id, ref, status, mode, email_index, email_sealed, name_sealed, country, product_id, edition_id,
    product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency, unit_amount,
    subtotal, discount, tax, tax_rate, tax_inclusive, total, COALESCE(coupon_id, 0), coupon_code, refunded,
    refund_reserved, attempt, attempt_state, attempt_at, last_error, method_id, payment_id, session_id,
    card_brand, card_last4, card_exp_month, card_exp_year, COALESCE(invoice_no, 0), created_at, updated_at, paid_at
    FROM shop_orders WHERE status = 'pending' AND attempt_state = 'open'
    AND created_at < ? AND coupon_id IN (SELECT id FROM shop_coupons WHERE max_uses > 0)
    ORDER BY id LIMIT ?;
