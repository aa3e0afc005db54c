-- The shop: catalogue, orders, licences, refunds and processed webhook events.
-- No card number or CVC is ever stored: an order keeps the processor's ids and the
-- card's brand, last 4 digits and expiry month/year, nothing more. The buyer's name
-- and email are sealed (*_sealed) and found by blind index (email_index).
-- Money is integer minor units with an ISO 4217 code; times are BIGINT Unix ms.

CREATE TABLE shop_products (
	id {{ID}},
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	version TEXT NOT NULL DEFAULT '',
	platforms TEXT NOT NULL DEFAULT '',      -- comma-separated
	active INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

CREATE TABLE shop_editions (
	id {{ID}},
	product_id BIGINT NOT NULL REFERENCES shop_products (id) ON DELETE CASCADE,
	slug TEXT NOT NULL,
	name TEXT NOT NULL,
	term_days INTEGER NOT NULL DEFAULT 0 CHECK (term_days >= 0),   -- 0: perpetual licence
	seats INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),           -- seats per unit bought
	UNIQUE (product_id, slug)
);

CREATE TABLE shop_prices (
	edition_id BIGINT NOT NULL REFERENCES shop_editions (id) ON DELETE CASCADE,
	currency TEXT NOT NULL,
	amount BIGINT NOT NULL CHECK (amount >= 0),
	PRIMARY KEY (edition_id, currency)
);

CREATE TABLE shop_downloads (
	id {{ID}},
	product_id BIGINT NOT NULL REFERENCES shop_products (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	file TEXT NOT NULL DEFAULT '',           -- relative to DATA-DIR/downloads
	url TEXT NOT NULL DEFAULT '',
	CHECK ((file = '') <> (url = ''))
);

CREATE TABLE shop_coupons (
	id {{ID}},
	code TEXT NOT NULL UNIQUE,               -- upper case
	percent_off INTEGER NOT NULL DEFAULT 0 CHECK (percent_off BETWEEN 0 AND 100),
	amount_off BIGINT NOT NULL DEFAULT 0 CHECK (amount_off >= 0),
	currency TEXT NOT NULL DEFAULT '',       -- of amount_off
	expires_at BIGINT NOT NULL DEFAULT 0,    -- 0: never
	max_uses INTEGER NOT NULL DEFAULT 0,     -- 0: unlimited
	used INTEGER NOT NULL DEFAULT 0,         -- reserved by open and paid orders
	created_at BIGINT NOT NULL
);

CREATE TABLE shop_invoice_seq (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	last BIGINT NOT NULL
);
INSERT INTO shop_invoice_seq (id, last) VALUES (1, 0);

CREATE TABLE shop_orders (
	id {{ID}},
	ref TEXT NOT NULL UNIQUE,                -- random public reference (processor metadata, links)
	status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'failed', 'refunded', 'disputed')),
	mode TEXT NOT NULL,                      -- payment mode: test, hosted, pass-through
	email_index TEXT NOT NULL,
	email_sealed TEXT NOT NULL,
	name_sealed TEXT NOT NULL,
	country TEXT NOT NULL,
	product_id BIGINT NOT NULL REFERENCES shop_products (id),
	edition_id BIGINT NOT NULL REFERENCES shop_editions (id),
	product_slug TEXT NOT NULL,              -- the catalogue as it was when ordered
	edition_slug TEXT NOT NULL,
	product_name TEXT NOT NULL,
	edition_name TEXT NOT NULL,
	seats INTEGER NOT NULL,                  -- quantity × the edition's seats
	term_days INTEGER NOT NULL,              -- 0: perpetual
	quantity INTEGER NOT NULL CHECK (quantity >= 1),
	currency TEXT NOT NULL,
	unit_amount BIGINT NOT NULL,
	subtotal BIGINT NOT NULL,
	discount BIGINT NOT NULL,
	tax BIGINT NOT NULL,
	tax_rate INTEGER NOT NULL,               -- basis points
	tax_inclusive INTEGER NOT NULL,
	total BIGINT NOT NULL,
	coupon_id BIGINT REFERENCES shop_coupons (id) ON DELETE SET NULL,
	coupon_code TEXT NOT NULL DEFAULT '',
	refunded BIGINT NOT NULL DEFAULT 0,      -- refunded so far
	refund_reserved BIGINT NOT NULL DEFAULT 0, -- refunds asked of the processor, not settled
	attempt INTEGER NOT NULL DEFAULT 0,      -- the payment attempt; its idempotency key is ref/attempt
	attempt_state TEXT NOT NULL DEFAULT 'open' CHECK (attempt_state IN ('open', 'charging', 'action', 'unknown', 'done')),
	attempt_at BIGINT NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',     -- the processor's code of the last failure
	method_id TEXT NOT NULL DEFAULT '',
	payment_id TEXT NOT NULL DEFAULT '',
	session_id TEXT NOT NULL DEFAULT '',
	card_brand TEXT NOT NULL DEFAULT '',
	card_last4 TEXT NOT NULL DEFAULT '',
	card_exp_month INTEGER NOT NULL DEFAULT 0,
	card_exp_year INTEGER NOT NULL DEFAULT 0,
	invoice_no BIGINT UNIQUE,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	paid_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX shop_orders_status ON shop_orders (status, created_at);
CREATE INDEX shop_orders_email ON shop_orders (email_index);
CREATE INDEX shop_orders_payment ON shop_orders (payment_id);
CREATE INDEX shop_orders_session ON shop_orders (session_id);

CREATE TABLE shop_licences (
	id {{ID}},
	order_id BIGINT NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
	licence_id TEXT NOT NULL UNIQUE,
	licence_key TEXT NOT NULL,               -- signed; holds no personal data
	seats INTEGER NOT NULL,
	expires_at BIGINT NOT NULL DEFAULT 0,    -- 0: perpetual
	revoked_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
CREATE INDEX shop_licences_order ON shop_licences (order_id);

CREATE TABLE shop_refunds (
	id {{ID}},
	order_id BIGINT NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
	amount BIGINT NOT NULL CHECK (amount > 0),
	idempotency_key TEXT NOT NULL UNIQUE,
	processor_id TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
	staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX shop_refunds_order ON shop_refunds (order_id);

-- Webhook events already handled, so a redelivered event changes nothing.
CREATE TABLE shop_payment_events (
	event_id TEXT PRIMARY KEY,
	type TEXT NOT NULL,
	received_at BIGINT NOT NULL
);
