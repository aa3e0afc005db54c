-- name: products
SELECT id, slug, name, description, version, platforms, active, created_at
    FROM shop_products ORDER BY name, id;

-- name: editions
SELECT e.id, e.product_id, e.slug, e.name, e.term_days, e.seats, COALESCE(p.currency, ''), COALESCE(p.amount, 0)
    FROM shop_editions e LEFT JOIN shop_prices p ON p.edition_id = e.id ORDER BY e.product_id, e.id, p.currency;

-- name: downloads
SELECT id, product_id, name, file, url FROM shop_downloads ORDER BY product_id, id;

-- name: insert-product
INSERT INTO shop_products (slug, name, description, version, platforms, active, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: update-product
UPDATE shop_products SET slug = ?, name = ?, description = ?, version = ?, platforms = ?, active = ?
    WHERE id = ?;

-- name: insert-edition
INSERT INTO shop_editions (product_id, slug, name, term_days, seats) VALUES (?, ?, ?, ?, ?);

-- name: update-edition
UPDATE shop_editions SET slug = ?, name = ?, term_days = ?, seats = ? WHERE id = ? AND product_id = ?;

-- name: clear-prices
DELETE FROM shop_prices WHERE edition_id = ?;

-- name: add-price
INSERT INTO shop_prices (edition_id, currency, amount) VALUES (?, ?, ?);

-- name: add-download
INSERT INTO shop_downloads (product_id, name, file, url) VALUES (?, ?, ?, ?);

-- name: delete-download
DELETE FROM shop_downloads WHERE id = ? AND product_id = ?;

-- name: save-coupon
INSERT INTO shop_coupons (code, percent_off, amount_off, currency, expires_at, max_uses, used, created_at)
    VALUES (?, ?, ?, ?, ?, ?, 0, ?);

-- name: coupons
SELECT id, code, percent_off, amount_off, currency, expires_at, max_uses, used, created_at FROM shop_coupons ORDER BY id DESC;

-- name: coupon-by-code
SELECT id, code, percent_off, amount_off, currency, expires_at, max_uses, used, created_at FROM shop_coupons WHERE code = ?;

-- name: end-coupon
UPDATE shop_coupons SET expires_at = ? WHERE id = ? AND (expires_at = 0 OR expires_at > ?);
