package privacy

import "github.com/candor-dev/candor/internal/staff"

// The visitor statistics: aggregates only, with no row per visitor or page view. Page
// paths, referrers and event names are marked personal: a site could put something
// about a person in a URL or an event name, so they are treated with care.
func statsTables() []Field {
	cells := func(name string) []Field {
		return table(name, Statistics, RuleStats, staff.ViewStats, WithRow,
			col("site_id", "the site"),
			col("day", "the UTC day (or ISO week's Monday)"),
			col("dim", "the dimension: page, referrer, country, browser, event…"),
		)
	}
	legacy := append(cells("stats"),
		table("stats", Statistics, RuleStats, staff.ViewStats, WithRow,
			pers("value", "the dimension's value: a page path, referrer, country, event name…"),
			col("pageviews", "page views"), col("visits", "visits"), col("bounces", "bounces"),
			col("duration_ms", "time on site"), col("events", "custom events"),
			col("visitors_hll", "HyperLogLog sketch of the day's visitors, whose salt is gone"),
		)...)
	packed := append(cells("stat_cells"),
		table("stat_cells", Statistics, RuleStats, staff.ViewStats, WithRow,
			col("span", "1 for a day, 7 for an ISO week"),
			pers("cells", "every value of the dimension with its sums and visitor count (paths, event names…)"),
		)...)
	config := append(append(append(
		table("sites", Statistics, RuleInstallation, staff.ViewStats, WithRow,
			col("id", "the site's number"), col("name", "its name"), col("domain", "its domain"), col("created_at", "when added"),
		),
		table("stats_goals", Statistics, RuleInstallation, staff.ViewStats, WithRow,
			col("id", "the goal's number"), col("site_id", "the site"), col("kind", "event or page"),
			col("value", "the event name or page path"), col("created_at", "when defined"),
		)...),
		table("stats_tokens", Statistics, RuleInstallation, staff.ManageSettings, WithRow,
			col("id", "the token's number"), col("name", "its label"), col("token_hash", "SHA-256 of the secret"),
			col("site_id", "the site it reads (none: every site)"), pers("created_by", "who created it, as staff:ID").erased(KeptIDs),
			col("created_at", "when created"), col("last_used_at", "last use"), col("revoked_at", "when revoked"),
		)...),
		table("ingest_logs", Statistics, RuleInstallation, staff.ManageSettings, WithRow,
			col("site_id", "the site"), col("head_hash", "keyed hash of a log's first line (never a line)"),
			col("device", "device the log was read from"), col("inode", "its inode"),
			col("ingested_bytes", "how far it was read"), col("updated_at", "last read"),
		)...)
	report := table("stats_report_subscriptions", Administration, RuleStatsMailState, staff.ViewStats, WithRow,
		pers("staff_id", "the staff member who asked for the weekly mail"),
		col("site_id", "the site"), col("created_at", "when asked"), col("last_week", "the last week mailed"),
	)
	return append(append(append(legacy, packed...), config...), report...)
}

// Bookkeeping of the installation itself.
func installationTables() []Field {
	return join(
		table("settings", Operation, RuleInstallation, staff.ManageSettings, WithRow,
			col("name", "a setting changed in the admin"), col("value", "its value"),
		),
		table("audit_head", Operation, RuleAudit, staff.ViewAudit, KeptIDs,
			col("id", "always 1"), col("seq", "the last entry"), col("hash", "its hash"),
		),
		table("schema_migrations", Operation, RuleInstallation, staff.ManageSettings, WithRow,
			col("version", "a schema step applied"), col("name", "its name"), col("applied_at", "when"),
		),
		table("mail_inbound_state", Operation, RuleInstallation, staff.ManageSettings, WithRow,
			col("source", "the mailbox's URL without its password"), col("uid_validity", "the mailbox's UIDVALIDITY"),
			col("last_uid", "the last mail looked at"), col("updated_at", "last read"),
		),
		table("newsletter_lists", Administration, RuleInstallation, staff.ManageSubscribers, WithRow,
			col("id", "the list's number"), col("slug", "URL name"), col("name", "name"),
			col("description", "description"), col("created_at", "when created"),
		),
		table("campaigns", Administration, RuleInstallation, staff.ManageCampaigns, WithRow,
			col("id", "the campaign's number"), col("subject", "subject"), col("body_markdown", "text"),
			col("status", "draft … sent"), col("scheduled_at", "when it is to start"),
			col("rate_per_second", "sending rate"), col("created_by", "the staff member who wrote it"),
			col("created_at", "when created"), col("updated_at", "last change"), col("started_at", "when sending began"),
			col("finished_at", "when sending ended"), col("recipients", "how many recipients"),
			col("unsubscribed", "how many unsubscribed through it"),
			col("queued_count", "how many of its messages wait"), col("sending_count", "how many are being sent"),
			col("sent_count", "how many were sent"), col("failed_count", "how many were refused"),
			col("bounced_count", "how many of those were hard bounces"), col("dead_count", "how many were given up"),
			col("cancelled_count", "how many were cancelled"),
		),
		table("campaign_lists", Administration, RuleInstallation, staff.ManageCampaigns, WithRow,
			col("campaign_id", "the campaign"), col("list_id", "a list it goes to"),
		),
		table("mail_instances", Operation, RuleInstallation, staff.ManageSettings, WithRow,
			col("id", "a running mail worker: a random id per process start"), col("name", "the instance's configured name"),
			col("started_at", "when it started"), col("heartbeat_at", "its last sign of life"),
		),
		table("privacy_checks", Operation, RuleInstallation, staff.ManageSettings, WithRow,
			col("check_id", "a privacy check of `candor audit privacy`"), col("status", "ok, finding or error"),
			col("message", "its last message: counts and names of tables, rules and files, never a value"),
			col("details", "the listing behind a finding, as JSON: places and counts"),
			col("ran_at", "when it last ran"), col("changed_at", "when its status last changed"),
		),
	)
}
