-- Data requests (access, export, erasure of one person's data; issue 10 §3–4) and the
-- legal hold of paid orders whose buyer asked for erasure.
-- A request keeps only the keyed blind index and the sealed address of the person
-- (so staff can show it was answered in time), ids and counts; never the address in
-- clear. Times are BIGINT Unix milliseconds.

CREATE TABLE data_requests (
	id {{ID}},
	kind TEXT NOT NULL CHECK (kind IN ('access', 'export', 'erase')),
	channel TEXT NOT NULL CHECK (channel IN ('self-service', 'staff')),
	email_index TEXT NOT NULL,              -- blind index, purpose "data_request.email"
	email_sealed TEXT NOT NULL,
	received_at BIGINT NOT NULL,
	deadline_at BIGINT NOT NULL,            -- received_at + 30 days
	done_at BIGINT NOT NULL DEFAULT 0,      -- 0: not answered yet
	actor TEXT NOT NULL DEFAULT '',         -- "staff:ID", "cli" or "self"; never an email
	counts TEXT NOT NULL DEFAULT ''         -- what was found or erased: "subscriber=1 conversations=2 …"
);
CREATE INDEX data_requests_open ON data_requests (done_at, deadline_at);
CREATE INDEX data_requests_email ON data_requests (email_index);

-- A paid order whose buyer asked for erasure is kept only for the legal retention
-- period: its email index is moved out of the shop's lookups, and the retention job
-- erases the buyer's name and email when the period ends. 0: no erasure requested.
ALTER TABLE shop_orders ADD COLUMN erasure_requested_at BIGINT NOT NULL DEFAULT 0;
