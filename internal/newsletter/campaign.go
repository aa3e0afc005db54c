package newsletter

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// CampaignStatus is where a campaign is in its life.
type CampaignStatus string

// The campaign states. Only forward moves are allowed (see transitions).
const (
	Draft     CampaignStatus = "draft"
	Scheduled CampaignStatus = "scheduled"
	Sending   CampaignStatus = "sending"
	Paused    CampaignStatus = "paused"
	Cancelled CampaignStatus = "cancelled"
	Sent      CampaignStatus = "sent"
)

// Campaign is a newsletter issue sent to the confirmed subscribers of some lists.
type Campaign struct {
	ID            int64
	Subject       string
	BodyMarkdown  string
	Status        CampaignStatus
	Lists         []int64
	RatePerSecond int // 0: as fast as the relay allows
	ScheduledAt   time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	StartedAt     time.Time
	FinishedAt    time.Time
	Recipients    int
	Unsubscribed  int
}

// Progress is a campaign's aggregate delivery counts: never per recipient.
type Progress struct {
	Queued, Sending, Sent, Failed, Dead, Cancelled int
}

// Done is how many messages reached a final state.
func (p Progress) Done() int { return p.Sent + p.Failed + p.Dead + p.Cancelled }

// CampaignStore is what campaigns need from storage.
type CampaignStore interface {
	CreateCampaign(ctx context.Context, c Campaign) (int64, error)
	// UpdateCampaign rewrites a draft or scheduled campaign's content, lists and rate.
	UpdateCampaign(ctx context.Context, c Campaign) error
	Campaign(ctx context.Context, id int64) (Campaign, error)
	Campaigns(ctx context.Context) ([]Campaign, error)
	// StartCampaign moves a draft or scheduled campaign to sending and queues one outbox
	// row per confirmed subscriber of its lists, in one transaction; it returns how many.
	StartCampaign(ctx context.Context, id int64, mailDomain string, at time.Time) (int, error)
	// MoveCampaign changes status when the current one is in from; conflict otherwise.
	MoveCampaign(ctx context.Context, id int64, from []CampaignStatus, to CampaignStatus, at time.Time) error
	ScheduleCampaign(ctx context.Context, id int64, at time.Time) error
	DueCampaigns(ctx context.Context, now time.Time) ([]int64, error)
	CampaignProgress(ctx context.Context, id int64) (Progress, error)
	CampaignAdminStore
}

// Campaign field limits.
const (
	MaxSubjectRunes = 200
	MaxBodyBytes    = 256 << 10
	MaxRate         = 10000
)

func (c *Campaign) validate() error {
	c.Subject = strings.TrimSpace(c.Subject)
	switch {
	case c.Subject == "":
		return errs.InvalidField("subject", "A campaign needs a subject.")
	case utf8.RuneCountInString(c.Subject) > MaxSubjectRunes || strings.ContainsAny(c.Subject, "\r\n"):
		return errs.InvalidField("subject", "The subject must be one line of at most 200 characters.")
	case len(c.BodyMarkdown) > MaxBodyBytes || !utf8.ValidString(c.BodyMarkdown):
		return errs.InvalidField("body", "The body is too long or not valid text.")
	case hasImage(c.BodyMarkdown):
		return errImages
	case len(c.Lists) == 0:
		return errs.InvalidField("lists", "Choose at least one list.")
	case c.RatePerSecond < 0 || c.RatePerSecond > MaxRate:
		return errs.InvalidField("rate", "The rate must be between 0 (no limit) and 10000 messages per second.")
	}
	return nil
}

// Campaigns gives the campaign side of the service; it shares the Service's store.
type Campaigns struct {
	svc   *Service
	store CampaignStore
}

// Campaigns returns the campaign side of the newsletter over store.
func (s *Service) Campaigns(store CampaignStore) *Campaigns { return &Campaigns{svc: s, store: store} }

func campaignSubject(id int64) string { return "campaign:" + strconv.FormatInt(id, 10) }

// Create saves a new draft.
func (c *Campaigns) Create(ctx context.Context, actor staff.Principal, draft Campaign) (int64, error) {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return 0, err
	}
	if err := draft.validate(); err != nil {
		return 0, err
	}
	now := c.svc.now().UTC()
	draft.Status, draft.CreatedAt, draft.UpdatedAt = Draft, now, now
	id, err := c.store.CreateCampaign(ctx, draft)
	if err == nil {
		err = c.svc.audit.Record(ctx, actor.Name, "campaign.create", campaignSubject(id))
	}
	return id, err
}

// Update edits a campaign that has not started.
func (c *Campaigns) Update(ctx context.Context, actor staff.Principal, draft Campaign) error {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return err
	}
	if err := draft.validate(); err != nil {
		return err
	}
	draft.UpdatedAt = c.svc.now().UTC()
	return c.store.UpdateCampaign(ctx, draft)
}

// Get returns one campaign.
func (c *Campaigns) Get(ctx context.Context, actor staff.Principal, id int64) (Campaign, error) {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return Campaign{}, err
	}
	return c.store.Campaign(ctx, id)
}

// List returns every campaign, newest first.
func (c *Campaigns) List(ctx context.Context, actor staff.Principal) ([]Campaign, error) {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return nil, err
	}
	return c.store.Campaigns(ctx)
}

// Progress returns a campaign's aggregate counts.
func (c *Campaigns) Progress(ctx context.Context, actor staff.Principal, id int64) (Progress, error) {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return Progress{}, err
	}
	return c.store.CampaignProgress(ctx, id)
}

// SendNow starts a draft or scheduled campaign: its recipients are fixed now.
func (c *Campaigns) SendNow(ctx context.Context, actor staff.Principal, id int64) (int, error) {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return 0, err
	}
	return c.start(ctx, actor.Name, id)
}

func (c *Campaigns) start(ctx context.Context, actor string, id int64) (int, error) {
	n, err := c.store.StartCampaign(ctx, id, c.svc.opts.MailDomain, c.svc.now().UTC())
	if err != nil {
		return 0, err
	}
	if c.svc.notify != nil {
		c.svc.notify.Notify()
	}
	return n, c.svc.audit.Record(ctx, actor, "campaign.start", campaignSubject(id), "recipients", strconv.Itoa(n))
}

// Schedule sets a draft to start at a time in the future.
func (c *Campaigns) Schedule(ctx context.Context, actor staff.Principal, id int64, at time.Time) error {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return err
	}
	if !at.After(c.svc.now()) {
		return errs.InvalidField("at", "Choose a time in the future.")
	}
	if err := c.store.ScheduleCampaign(ctx, id, at.UTC()); err != nil {
		return err
	}
	return c.svc.audit.Record(ctx, actor.Name, "campaign.schedule", campaignSubject(id), "at", at.UTC().Format(time.RFC3339))
}

// Pause stops claiming a sending campaign's messages; Resume continues; Cancel ends it
// (its queued messages are cancelled, never sent).
func (c *Campaigns) Pause(ctx context.Context, actor staff.Principal, id int64) error {
	return c.move(ctx, actor, id, []CampaignStatus{Sending}, Paused)
}

// Resume continues a paused campaign.
func (c *Campaigns) Resume(ctx context.Context, actor staff.Principal, id int64) error {
	err := c.move(ctx, actor, id, []CampaignStatus{Paused}, Sending)
	if err == nil && c.svc.notify != nil {
		c.svc.notify.Notify()
	}
	return err
}

// Cancel ends a campaign that has not finished.
func (c *Campaigns) Cancel(ctx context.Context, actor staff.Principal, id int64) error {
	return c.move(ctx, actor, id, []CampaignStatus{Draft, Scheduled, Sending, Paused}, Cancelled)
}

func (c *Campaigns) move(ctx context.Context, actor staff.Principal, id int64, from []CampaignStatus, to CampaignStatus) error {
	if err := actor.Require(staff.ManageCampaigns); err != nil {
		return err
	}
	if err := c.store.MoveCampaign(ctx, id, from, to, c.svc.now().UTC()); err != nil {
		return err
	}
	return c.svc.audit.Record(ctx, actor.Name, "campaign."+string(to), campaignSubject(id))
}

// StartDue starts scheduled campaigns whose time has come; `candor serve` runs it
// periodically.
func (c *Campaigns) StartDue(ctx context.Context) (int, error) {
	ids, err := c.store.DueCampaigns(ctx, c.svc.now())
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := c.start(ctx, "scheduler", id); err != nil && !errs.Is(err, errs.Conflict) {
			return 0, err
		}
	}
	return len(ids), nil
}
