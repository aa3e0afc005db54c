-- Read-only API tokens for the visitor statistics. Only the SHA-256 of a token's secret
-- is kept (hex), never the secret: it is shown once, when the token is created.
-- site_id NULL: the token reads every site. Times are Unix milliseconds; 0 means never.

CREATE TABLE stats_tokens (
	id {{ID}},
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	site_id BIGINT REFERENCES sites (id) ON DELETE CASCADE,
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_used_at BIGINT NOT NULL DEFAULT 0,
	revoked_at BIGINT NOT NULL DEFAULT 0
);
