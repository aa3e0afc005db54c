-- Visitor statistics, packed: one row per site, span, first day and dimension, whose
-- cells hold every value of that dimension with its sums and its visitors as a plain
-- count (analytics.DayCells). No sketch and nothing else derived from a visitor key is
-- kept: sketches live only in the aggregator's memory, while their salt does.
-- span is 1 for a UTC day, 7 for the roll-up of an ISO week (Monday to Sunday, day is
-- its Monday), written in the same transaction as its days, so a report over a month
-- reads a few weeks and the days around them.
-- New statistics go here; rows of the stats table (migration 0004, with sketches) are
-- still read and added in, so nothing counted before this migration is lost.

CREATE TABLE stat_cells (
	site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	span INTEGER NOT NULL CHECK (span IN (1, 7)),
	day BIGINT NOT NULL,
	dim TEXT NOT NULL,
	cells {{BYTES}} NOT NULL,
	PRIMARY KEY (site_id, span, day, dim)
);
