-- Newsletter: lists, subscribers, suppression, campaigns, and the mail outbox (the
-- per-recipient ledger that every outgoing mail goes through).
-- Personal data is sealed (*_sealed) and found by blind index (*_index). No IP address
-- is stored. Times are BIGINT Unix milliseconds.

CREATE TABLE newsletter_lists (
	id {{ID}},
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

CREATE TABLE subscribers (
	id {{ID}},
	email_index TEXT NOT NULL UNIQUE,
	email_sealed TEXT NOT NULL,
	name_sealed TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
	consent_source TEXT NOT NULL,           -- e.g. "form:footer", "import:mailchimp 2026-11"
	consent_text_hash TEXT NOT NULL DEFAULT '', -- hash of the consent text version shown
	created_at BIGINT NOT NULL,
	confirmed_at BIGINT,
	confirmation_sent_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL
);
CREATE INDEX subscribers_status ON subscribers (status, created_at);

CREATE TABLE subscriber_lists (
	subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	list_id BIGINT NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
	subscribed INTEGER NOT NULL DEFAULT 1 CHECK (subscribed IN (0, 1)),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (subscriber_id, list_id)
);
CREATE INDEX subscriber_lists_list ON subscriber_lists (list_id, subscribed);

-- Status history: what happened and when, no personal data.
CREATE TABLE subscriber_events (
	id {{ID}},
	subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	at BIGINT NOT NULL,
	event TEXT NOT NULL,   -- subscribed, confirmation_sent, confirmed, unsubscribed, list_changed, imported, bounced
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX subscriber_events_subscriber ON subscriber_events (subscriber_id, at);

-- Addresses that must never be mailed again, kept only as the keyed blind index.
CREATE TABLE suppressions (
	email_index TEXT PRIMARY KEY,
	reason TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'hard_bounce', 'complaint', 'erased', 'manual')),
	created_at BIGINT NOT NULL
);

CREATE TABLE campaigns (
	id {{ID}},
	subject TEXT NOT NULL,
	body_markdown TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'cancelled', 'sent')),
	scheduled_at BIGINT,
	rate_per_second INTEGER NOT NULL DEFAULT 0,  -- 0: as fast as the relay allows
	created_by BIGINT REFERENCES staff (id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	started_at BIGINT,
	finished_at BIGINT,
	recipients INTEGER NOT NULL DEFAULT 0,
	unsubscribed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE campaign_lists (
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
	list_id BIGINT NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
	PRIMARY KEY (campaign_id, list_id)
);

-- The outbox: one row per message to one recipient. Campaign rows name the campaign and
-- the subscriber and are rendered at send time; other rows carry the sealed recipient
-- and sealed content. Workers claim rows (lease_until), send, then mark them.
CREATE TABLE mail_outbox (
	id {{ID}},
	purpose TEXT NOT NULL,                 -- campaign, newsletter.confirm, contact.reply, shop.receipt, test, …
	campaign_id BIGINT REFERENCES campaigns (id) ON DELETE CASCADE,
	subscriber_id BIGINT REFERENCES subscribers (id) ON DELETE CASCADE,
	to_sealed TEXT NOT NULL DEFAULT '',
	to_index TEXT NOT NULL DEFAULT '',      -- blind index of the recipient (transactional rows), for hard-bounce suppression
	content_sealed TEXT NOT NULL DEFAULT '',
	message_id TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead', 'cancelled')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	lease_until BIGINT NOT NULL DEFAULT 0,
	first_failure_at BIGINT NOT NULL DEFAULT 0, -- first temporary failure; dead 72 h after it
	hard_bounce INTEGER NOT NULL DEFAULT 0 CHECK (hard_bounce IN (0, 1)),
	last_error TEXT NOT NULL DEFAULT '',    -- SMTP code and class only; never the recipient
	created_at BIGINT NOT NULL,
	sent_at BIGINT
);
-- Claims: transactional rows (campaign_id IS NULL) and each sending campaign's rows, due first.
CREATE INDEX mail_outbox_claim ON mail_outbox (campaign_id, status, next_attempt_at);
-- Reclaiming expired leases, and the staff outbox filtered by status.
CREATE INDEX mail_outbox_status ON mail_outbox (status, lease_until);
CREATE UNIQUE INDEX mail_outbox_one_per_recipient ON mail_outbox (campaign_id, subscriber_id);

-- The list a sign-up joins when the form names none.
INSERT INTO newsletter_lists (slug, name, description, created_at) VALUES ('news', 'Newsletter', 'News and releases', 0);
