package mail

import (
	"context"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// The staff view of the outbox (permission staff.ViewOutbox): lists show what was sent
// and how (purpose, status, attempts, error class, times) but never to whom; opening one
// transactional message shows its recipient and content and is audited first (fail
// closed); dead letters can be put back in the queue.

// OutboxMessage is one outbox row as staff see it in lists: no recipient, no content.
type OutboxMessage struct {
	ID            int64
	Purpose       string
	CampaignID    int64 // 0 for transactional mail
	SubscriberID  int64
	MessageID     string
	Status        Status
	Attempts      int
	LastError     string // SMTP code and class only
	HardBounce    bool
	CreatedAt     time.Time
	NextAttemptAt time.Time
	FirstFailure  time.Time
	SentAt        time.Time
}

// Transactional reports whether the row carries its own sealed recipient and content.
func (m OutboxMessage) Transactional() bool { return m.CampaignID == 0 }

// OutboxFilter selects outbox rows, newest first.
type OutboxFilter struct {
	Status   Status // "" for all
	Kind     string // "", "transactional" or "campaign"
	BeforeID int64  // paging backwards: only rows with ID < BeforeID
	Limit    int
}

// AdminStore is what the staff view needs from storage (sqldb.OutboxAdminStore).
type AdminStore interface {
	OutboxMessages(ctx context.Context, f OutboxFilter) ([]OutboxMessage, error)
	OutboxStatusCounts(ctx context.Context) (map[Status]int, error)
	// OutboxMessage returns one row and, for transactional mail, its sealed columns.
	OutboxMessage(ctx context.Context, id int64) (OutboxMessage, Queued, error)
	// RequeueDead puts a dead letter back in the queue (attempts reset); conflict when
	// the row is not dead or its campaign no longer sends.
	RequeueDead(ctx context.Context, id int64, now time.Time) error
}

type outboxAuditor interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}

// OutboxAdmin is the staff view of the outbox.
type OutboxAdmin struct {
	store  AdminStore
	sealer Sealer
	audit  outboxAuditor
	now    func() time.Time
}

// NewOutboxAdmin builds the staff view of the outbox.
func NewOutboxAdmin(store AdminStore, sealer Sealer, auditor outboxAuditor) *OutboxAdmin {
	return &OutboxAdmin{store: store, sealer: sealer, audit: auditor, now: time.Now}
}

// Outbox page sizes.
const (
	OutboxPageSize = 50
	maxOutboxPage  = 200
)

// List returns outbox rows matching f, newest first (no recipients: not audited).
func (o *OutboxAdmin) List(ctx context.Context, actor staff.Principal, f OutboxFilter) ([]OutboxMessage, error) {
	if err := actor.Require(staff.ViewOutbox); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", StatusQueued, StatusSending, StatusSent, StatusFailed, StatusDead, StatusCancelled:
	default:
		f.Status = ""
	}
	if f.Kind != "transactional" && f.Kind != "campaign" {
		f.Kind = ""
	}
	if f.Limit <= 0 || f.Limit > maxOutboxPage {
		f.Limit = OutboxPageSize
	}
	return o.store.OutboxMessages(ctx, f)
}

// Counts returns how many rows are in each status.
func (o *OutboxAdmin) Counts(ctx context.Context, actor staff.Principal) (map[Status]int, error) {
	if err := actor.Require(staff.ViewOutbox); err != nil {
		return nil, err
	}
	return o.store.OutboxStatusCounts(ctx)
}

// Opened is one outbox message with, for transactional mail, its recipient and content.
type Opened struct {
	OutboxMessage
	To      pii.Email // zero for campaign rows (rendered at send time, never stored)
	Content Content
}

func outboxSubject(id int64) string { return "outbox:" + strconv.FormatInt(id, 10) }

// Open returns one message. For transactional mail it unseals recipient and content,
// after recording the view in the audit log (no entry, no content).
func (o *OutboxAdmin) Open(ctx context.Context, actor staff.Principal, id int64) (Opened, error) {
	if err := actor.Require(staff.ViewOutbox); err != nil {
		return Opened{}, err
	}
	m, q, err := o.store.OutboxMessage(ctx, id)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return Opened{}, errs.Wrap(errs.NotFound, "There is no such message in the outbox.", err)
		}
		return Opened{}, err
	}
	out := Opened{OutboxMessage: m}
	if !m.Transactional() || q.ToSealed == "" {
		return out, nil
	}
	to, content, err := Open(o.sealer, q)
	if err != nil {
		return Opened{}, errs.Wrap(errs.Internal, "", err)
	}
	if err := o.audit.Record(ctx, actor.Name, "outbox.view", outboxSubject(id), "purpose", m.Purpose); err != nil {
		return Opened{}, err
	}
	out.To, out.Content = to, content
	return out, nil
}

// Requeue puts a dead letter back in the queue with its attempts reset; audited.
func (o *OutboxAdmin) Requeue(ctx context.Context, actor staff.Principal, id int64) error {
	if err := actor.Require(staff.ViewOutbox); err != nil {
		return err
	}
	if err := o.store.RequeueDead(ctx, id, o.now().UTC()); err != nil {
		return err
	}
	return o.audit.Record(ctx, actor.Name, "outbox.requeue", outboxSubject(id))
}
