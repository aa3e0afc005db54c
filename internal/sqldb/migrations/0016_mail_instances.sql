-- The mail workers alive: one row per process (an incarnation: a random id per start),
-- its heartbeat renewed every few seconds. A claim names its instance
-- (mail_outbox.claimed_by); claims whose instance is no longer here (its heartbeat went
-- stale, or a restarted instance of the same name forgot its previous incarnation)
-- are put back to queued at once instead of waiting out their lease.
CREATE TABLE mail_instances (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	started_at BIGINT NOT NULL,
	heartbeat_at BIGINT NOT NULL
);

ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
