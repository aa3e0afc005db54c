-- Visitor statistics: aggregates only. No row per page view or per visitor; no IP
-- address, user agent, or hash of either. visitors_hll is a HyperLogLog sketch of the
-- day's visitor hashes, whose salt lived only in memory and is gone.
-- day is the Unix milliseconds of the UTC midnight that starts the day.

CREATE TABLE sites (
	id {{ID}},
	name TEXT NOT NULL UNIQUE,
	domain TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);

CREATE TABLE stats (
	site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	day BIGINT NOT NULL,
	dim TEXT NOT NULL,
	value TEXT NOT NULL,
	pageviews BIGINT NOT NULL DEFAULT 0,
	visits BIGINT NOT NULL DEFAULT 0,
	bounces BIGINT NOT NULL DEFAULT 0,
	duration_ms BIGINT NOT NULL DEFAULT 0,
	events BIGINT NOT NULL DEFAULT 0,
	visitors_hll {{BYTES}},
	PRIMARY KEY (site_id, day, dim, value)
);
