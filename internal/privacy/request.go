package privacy

import (
	"context"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// Kind is what a data request asks for.
type Kind string

// The kinds of data request.
const (
	Access Kind = "access" // see what is held
	Export Kind = "export" // receive a copy
	Erase  Kind = "erase"  // have it erased
)

// Channel is how a request reached the vendor.
type Channel string

// The channels.
const (
	SelfService Channel = "self-service" // the person, through /my-data
	StaffDesk   Channel = "staff"        // staff, on the person's behalf (admin or command line)
)

// Deadline is how long the vendor has to answer a request (GDPR art. 12(3): one month).
const Deadline = 30 * 24 * time.Hour

// Seal context and index purpose of a request's address.
const (
	SealRequestEmail  = "data_request.email"
	indexRequestEmail = "data_request.email"
)

// Request is a recorded data request: ids and counts, never the address in clear.
type Request struct {
	ID          int64
	Kind        Kind
	Channel     Channel
	EmailIndex  string
	EmailSealed string
	ReceivedAt  time.Time
	DeadlineAt  time.Time
	DoneAt      time.Time // zero: not answered yet
	Actor       string    // "staff:ID", "cli" or "self"
	Counts      string    // "subscriber=1 conversations=2 orders=1 outbox=3 held=1"
}

// RequestStore keeps data requests.
type RequestStore interface {
	CreateRequest(ctx context.Context, r Request) (int64, error)
	FinishRequest(ctx context.Context, id int64, counts string, at time.Time) error
	// Requests lists requests newest first; open only lists those not answered yet.
	Requests(ctx context.Context, open bool, limit int) ([]Request, error)
}

// Store is all the privacy service needs from storage.
type Store interface {
	SubjectStore
	RequestStore
}

// Service is the privacy domain.
type Service struct {
	store  Store
	sealer Sealer
	audit  Auditor
	intake Intake
	now    func() time.Time
}

// Intake stores the newsletter sign-ups acknowledged but not yet processed
// (newsletter.Service.ProcessIntake, grace 0: every row, however young).
type Intake interface {
	ProcessIntake(ctx context.Context, grace time.Duration) (int64, error)
}

// SetIntake makes every erasure first process the sign-ups still in the intake: a
// sign-up is kept there (sealed, with no blind index) from /subscribe's answer until it
// is stored, so an erasure in those seconds would find nothing and the sign-up would
// then create the subscriber the person asked to be rid of.
func (s *Service) SetIntake(in Intake) { s.intake = in }

// NewService builds the privacy domain.
func NewService(store Store, sealer Sealer, auditor Auditor) *Service {
	return &Service{store: store, sealer: sealer, audit: auditor, now: time.Now}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// requireStaff checks that a staff member may answer data requests: the one permission
// privacy.requests (owner and admin by default; docs/roles.md), since the answer spans
// every domain that holds personal data.
func requireStaff(actor staff.Principal) error {
	return actor.Require(staff.HandleRequests)
}

// SelfActor is the audit actor of a self-service request, made by the person after
// proving control of the address (the mailed link).
const SelfActor = "self"

// begin validates the address, records the request and returns it with the indexes.
func (s *Service) begin(ctx context.Context, actor string, ch Channel, kind Kind, email string) (Request, string, error) {
	norm, err := pii.NormalizeEmail(email)
	if err != nil {
		return Request{}, "", errs.InvalidField("email", "Enter a valid email address.")
	}
	sealed, err := s.sealer.SealString(SealRequestEmail, norm)
	if err != nil {
		return Request{}, "", err
	}
	now := s.now().UTC()
	r := Request{Kind: kind, Channel: ch, EmailIndex: s.sealer.Index(indexRequestEmail, norm), EmailSealed: sealed,
		ReceivedAt: now, DeadlineAt: now.Add(Deadline), Actor: actor}
	if r.ID, err = s.store.CreateRequest(ctx, r); err != nil {
		return r, "", err
	}
	if err := s.audit.Record(ctx, actor, "privacy.request", requestSubject(r.ID), "kind", string(kind), "channel", string(ch)); err != nil {
		return r, "", err
	}
	return r, norm, nil
}

// finish marks the request answered and audits what was done.
func (s *Service) finish(ctx context.Context, r Request, action string, c Counts) error {
	if err := s.store.FinishRequest(ctx, r.ID, c.String(), s.now().UTC()); err != nil {
		return err
	}
	return s.audit.Record(ctx, r.Actor, action, requestSubject(r.ID), c.detail()...)
}

func requestSubject(id int64) string { return "data_request:" + strconv.FormatInt(id, 10) }

// Requests lists recorded requests for staff, newest first.
func (s *Service) Requests(ctx context.Context, actor staff.Principal, open bool, limit int) ([]Request, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.Requests(ctx, open, limit)
}

// Counts says how many records of each kind a request found or erased.
type Counts struct {
	Subscriber, Conversations, Orders, Outbox, Held int
}

func (c Counts) fields() []struct {
	k string
	v int
} {
	return []struct {
		k string
		v int
	}{{"subscriber", c.Subscriber}, {"conversations", c.Conversations}, {"orders", c.Orders}, {"outbox", c.Outbox}, {"held", c.Held}}
}

// String is the stored form: "subscriber=1 conversations=2 orders=1 outbox=3 held=1".
func (c Counts) String() string {
	out := ""
	for i, f := range c.fields() {
		if i > 0 {
			out += " "
		}
		out += f.k + "=" + strconv.Itoa(f.v)
	}
	return out
}

func (c Counts) detail() []string {
	var d []string
	for _, f := range c.fields() {
		d = append(d, f.k, strconv.Itoa(f.v))
	}
	return d
}

func countsOf(h Holdings) Counts {
	c := Counts{Conversations: len(h.Conversations), Orders: len(h.Orders), Outbox: len(h.Outbox)}
	if h.Subscriber != nil {
		c.Subscriber = 1
	}
	for _, o := range h.Orders {
		if !o.ErasureRequestedAt.IsZero() {
			c.Held++
		}
	}
	return c
}
