package newsletter

import (
	"context"
	"sync"
	"time"

	"github.com/candor-dev/candor/internal/mail"
)

// Status is a subscriber's state.
type Status string

// The subscriber states. Unsubscribing from everything deletes the row instead.
const (
	Pending   Status = "pending"
	Confirmed Status = "confirmed"
)

// DefaultList is the list a sign-up joins when the form names none.
const DefaultList = "news"

// List is a mailing list, e.g. one per product.
type List struct {
	ID          int64
	Slug, Name  string
	Description string
}

// Record is a subscriber row as stored: personal fields sealed.
type Record struct {
	ID                 int64
	EmailIndex         string
	EmailSealed        string
	NameSealed         string
	Status             Status
	ConsentSource      string
	ConsentTextHash    string
	CreatedAt          time.Time
	ConfirmedAt        time.Time
	ConfirmationSentAt time.Time
	UpdatedAt          time.Time
}

// SignupDetails are what one sign-up records beside the address: the name (sealed; ""
// for none) and the consent record (see Record).
type SignupDetails struct {
	NameSealed      string
	ConsentSource   string
	ConsentTextHash string
}

// Membership is a subscriber's relation to one list.
type Membership struct {
	List       List
	Subscribed bool
}

// Store is what the newsletter needs from storage. Not-found is errs.NotFound.
type Store interface {
	Lists(ctx context.Context) ([]List, error)
	SubscriberByIndex(ctx context.Context, index string) (Record, error)
	SubscriberByID(ctx context.Context, id int64) (Record, error)
	// SaveSignup inserts (ID 0) or updates the subscriber, then, in the same transaction,
	// queues the mail that confirm returns for the subscriber's id (nil: no mail). An
	// update never changes the status, name or consent record of a subscriber confirmed
	// in storage, whatever r says (r may predate a concurrent Confirm).
	SaveSignup(ctx context.Context, r Record, event string, confirm func(id int64) (*mail.Queued, error)) (int64, error)
	// Confirm marks the subscriber confirmed at at, joins the lists, except those whose
	// membership changed after issued (the confirmation link's time), and lifts an
	// "unsubscribed" suppression of their address, in one transaction. With signup (not
	// nil), a subscriber still pending is confirmed with that name and consent record
	// instead of what is stored; an already confirmed one keeps theirs.
	Confirm(ctx context.Context, id int64, lists []int64, signup *SignupDetails, issued, at time.Time) error
	// Erase deletes the subscriber and suppresses their address with reason; campaignID,
	// when not 0, counts the unsubscribe for that campaign.
	Erase(ctx context.Context, id int64, reason string, campaignID int64, at time.Time) error
	Memberships(ctx context.Context, id int64) ([]Membership, error)
	SetMemberships(ctx context.Context, id int64, subscribed map[int64]bool, at time.Time) error
	// Suppression returns why an address (by blind index) must not be mailed, "" if not.
	Suppression(ctx context.Context, index string) (string, error)
	PurgePending(ctx context.Context, lastMailBefore time.Time) (int64, error)
	AdminStore
	ListStore
	OriginStore
	IntakeStore
}

// Sealer seals personal fields and computes blind indexes (pii.Sealer).
type Sealer interface {
	SealString(context, plaintext string) (string, error)
	OpenString(context, sealed string) (string, error)
	Index(purpose, value string) string
}

// Auditor appends to the audit log.
type Auditor interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}

// Notifier wakes the mail worker after something was queued.
type Notifier interface{ Notify() }

// Options configure the service.
type Options struct {
	PublicURL       string        // base of links in mail, no trailing slash
	MailDomain      string        // the sender's domain, for Message-IDs
	VendorName      string        // shown in mails and pages
	PostalAddress   string        // campaign footer
	PendingTTL      time.Duration // unconfirmed sign-ups are purged after this
	ConfirmInterval time.Duration // at most one confirmation mail per address per interval
	ConfirmTTL      time.Duration // confirmation links expire after this (default PendingTTL)
	UnsubscribeTTL  time.Duration // unsubscribe links in campaigns work this long (default 1 year)
}

// Sealing contexts and index purposes.
const (
	SealEmail  = "subscriber.email"
	SealName   = "subscriber.name"
	sealToken  = "newsletter.token"
	indexEmail = "subscriber.email"
)

// Service is the newsletter domain.
type Service struct {
	store  Store
	sealer Sealer
	audit  Auditor
	notify Notifier
	opts   Options
	now    func() time.Time
	cache  renderCache
	lists  listCache

	imports importStage // staff imports waiting for confirmation (importflow.go)
}

// NewService builds the newsletter domain.
func NewService(store Store, sealer Sealer, auditor Auditor, notify Notifier, opts Options) *Service {
	if opts.PendingTTL <= 0 {
		opts.PendingTTL = 7 * 24 * time.Hour
	}
	if opts.ConfirmInterval <= 0 {
		opts.ConfirmInterval = 3 * time.Hour
	}
	if opts.ConfirmTTL <= 0 {
		opts.ConfirmTTL = opts.PendingTTL
	}
	if opts.UnsubscribeTTL <= 0 {
		opts.UnsubscribeTTL = 365 * 24 * time.Hour
	}
	if opts.VendorName == "" {
		opts.VendorName = "our newsletter"
	}
	return &Service{store: store, sealer: sealer, audit: auditor, notify: notify, opts: opts, now: time.Now}
}

// EmailIndex is the blind index of a normalised address (for suppression lookups).
func (s *Service) EmailIndex(normalized string) string { return s.sealer.Index(indexEmail, normalized) }

// Lists returns the mailing lists (public: they are shown on subscribe forms). They are
// read at most once every listsTTL: every sign-up needs them and they rarely change.
func (s *Service) Lists(ctx context.Context) ([]List, error) {
	return s.lists.get(ctx, s.now(), s.store.Lists)
}

// listsTTL is how long a change to the lists may take to reach the forms.
const listsTTL = 10 * time.Second

// listCache holds the lists as last read.
type listCache struct {
	mu    sync.Mutex
	at    time.Time
	lists []List
}

func (c *listCache) get(ctx context.Context, now time.Time, load func(context.Context) ([]List, error)) ([]List, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lists != nil && now.Sub(c.at) < listsTTL {
		return c.lists, nil
	}
	lists, err := load(ctx)
	if err != nil {
		return nil, err
	}
	c.at, c.lists = now, lists
	return lists, nil
}

// forget drops the cached lists after a change made here.
func (c *listCache) forget() {
	c.mu.Lock()
	c.lists = nil
	c.mu.Unlock()
}

// Sealer returns the sealer the service seals with (for the outbox view and tests).
func (s *Service) Sealer() Sealer { return s.sealer }
