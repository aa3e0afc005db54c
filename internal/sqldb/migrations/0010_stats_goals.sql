-- Goals of the visitor statistics: per site, a custom event (by name) or a page (by
-- path) whose visitors and conversion rate the dashboard shows. Staff define them; the
-- figures come from the aggregates (stat_cells), never from anything about a visitor.

CREATE TABLE stats_goals (
	id {{ID}},
	site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('event', 'page')),
	value TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (site_id, kind, value)
);
