-- What `candor ingest-log` has read, so that the same log read twice counts once.
-- Only the log's identity and progress: a keyed hash (HMAC with the installation's index
-- key) of its first line, the device and inode it was last read from, and how many
-- bytes of it were ingested. Never a log line, an IP address or a user agent.

CREATE TABLE ingest_logs (
	site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	head_hash TEXT NOT NULL,
	device BIGINT NOT NULL DEFAULT 0,
	inode BIGINT NOT NULL DEFAULT 0,
	ingested_bytes BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (site_id, head_hash)
);
