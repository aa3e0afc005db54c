package newsletter

import (
	"context"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// The staff pages of campaigns need, beyond Campaigns' own methods: aggregate counts for
// many campaigns at once, the number of recipients before sending, and test sends.

// CampaignCounts are a campaign's aggregate figures: never per recipient.
type CampaignCounts struct {
	Progress
	Bounced int // of Failed: hard bounces (the address is now suppressed)
}

// CampaignAdminStore is what the staff pages need from storage (part of CampaignStore).
type CampaignAdminStore interface {
	// CampaignCounts counts the outbox rows of each campaign by status.
	CampaignCounts(ctx context.Context, ids []int64) (map[int64]CampaignCounts, error)
	// CountRecipients counts who StartCampaign would queue now.
	CountRecipients(ctx context.Context, id int64) (int, error)
	// QueueTransactional writes one transactional message to the outbox.
	QueueTransactional(ctx context.Context, q mail.Queued) (int64, error)
}

// Counts returns the aggregate figures of the given campaigns.
func (c *Campaigns) Counts(ctx context.Context, actor staff.Principal, ids []int64) (map[int64]CampaignCounts, error) {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return nil, err
	}
	st := c.store
	if len(ids) == 0 {
		return map[int64]CampaignCounts{}, nil
	}
	return st.CampaignCounts(ctx, ids)
}

// RecipientCount is how many confirmed, unsuppressed subscribers of the campaign's lists
// would receive it if it started now (shown before "Send now" is confirmed).
func (c *Campaigns) RecipientCount(ctx context.Context, actor staff.Principal, id int64) (int, error) {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return 0, err
	}
	st := c.store
	return st.CountRecipients(ctx, id)
}

// TestSend queues the campaign, as a recipient would see it but without an unsubscribe
// link, to one address typed by the staff member (purpose "campaign.test"). The audit
// entry names the campaign, never the address.
func (c *Campaigns) TestSend(ctx context.Context, actor staff.Principal, id int64, to string) error {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return err
	}
	st := c.store
	addr, err := pii.NewEmail(to)
	if err != nil {
		return errs.InvalidField("to", "Enter the address to send the test to, like name@example.com.")
	}
	camp, err := c.store.Campaign(ctx, id)
	if err != nil {
		return err
	}
	content, err := c.Preview(ctx, camp)
	if err != nil {
		return err
	}
	content.Subject = "[Test] " + content.Subject
	q, err := mail.Compose(c.svc.sealer, mail.Draft{Purpose: "campaign.test", To: addr, Content: content},
		c.svc.opts.MailDomain, c.svc.now())
	if err != nil {
		return err
	}
	if _, err := st.QueueTransactional(ctx, q); err != nil {
		return err
	}
	if c.svc.notify != nil {
		c.svc.notify.Notify()
	}
	return c.svc.audit.Record(ctx, actor.Name, "campaign.test", campaignSubject(id))
}
