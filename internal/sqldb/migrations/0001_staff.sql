-- Staff accounts, sessions and the hash-chained audit log.
-- Personal data (the staff email) is sealed (*_sealed) and found by a blind index (*_index);
-- the TOTP secret is sealed too. Times are BIGINT Unix milliseconds.

CREATE TABLE staff (
	id {{ID}},
	email_index TEXT NOT NULL UNIQUE,
	email_sealed TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'support', 'marketing', 'analyst', 'shop')),
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
	totp_sealed TEXT,
	totp_pending_sealed TEXT,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	disabled_at BIGINT,
	created_at BIGINT NOT NULL,
	password_changed_at BIGINT NOT NULL
);

CREATE TABLE staff_recovery_codes (
	staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	used_at BIGINT,
	PRIMARY KEY (staff_id, code_hash)
);

CREATE TABLE staff_sessions (
	token_hash TEXT PRIMARY KEY,
	staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	mfa_pending INTEGER NOT NULL DEFAULT 0 CHECK (mfa_pending IN (0, 1))
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	subject TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
