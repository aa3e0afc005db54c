-- Each campaign's delivery counts, maintained as its outbox rows move (in the same
-- transaction as each change, one UPDATE per campaign and batch), so the progress the
-- campaign page polls every 2 s reads one row instead of counting the ledger. Existing
-- campaigns are counted once here. bounced_count is the part of failed_count that
-- were hard bounces.
ALTER TABLE campaigns ADD COLUMN queued_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN sending_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN sent_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN bounced_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN dead_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN cancelled_count INTEGER NOT NULL DEFAULT 0;

UPDATE campaigns SET
	queued_count = (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status = 'queued'),
	sending_count = (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status = 'sending'),
	sent_count = (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status = 'sent'),
	failed_count = (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status = 'failed'),
	bounced_count = (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status = 'failed' AND o.hard_bounce = 1),
	dead_count = (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status = 'dead'),
	cancelled_count = (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = campaigns.id AND o.status = 'cancelled');
