-- The weekly statistics mail: which staff members asked for it, per site, and the
-- last week sent to them (the Unix milliseconds of that week's Monday, UTC; 0: none),
-- so that a week is mailed at most once even with several instances. No address is
-- kept here: the job reads the member's sealed address from the staff table.

CREATE TABLE stats_report_subscriptions (
	staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	last_week BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (staff_id, site_id)
);
CREATE INDEX stats_report_subscriptions_site ON stats_report_subscriptions (site_id);
