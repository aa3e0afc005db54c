-- The last result of each privacy check (`candor audit privacy`, run daily by
-- `candor serve`): what the admin Promises page shows, and what the daily run compares
-- with to mail the owners when a check turns red. One row per check; messages and
-- details hold counts, table, rule and file names, never personal data.

CREATE TABLE privacy_checks (
	check_id TEXT PRIMARY KEY,
	status TEXT NOT NULL CHECK (status IN ('ok', 'finding', 'error')),
	message TEXT NOT NULL,
	details TEXT NOT NULL DEFAULT '[]',
	ran_at BIGINT NOT NULL,
	changed_at BIGINT NOT NULL
);
