package newsletter

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// The staff side of subscribers: list, search, view, delete. Every method checks
// staff.ManageSubscribers, and every method that returns personal data writes its audit
// entry before it returns anything: when the audit write fails, the caller gets an
// error and no data (fail closed). Audit entries name subscriber ids, never an address.

// SubscriberSort is a column the staff list can be ordered by.
type SubscriberSort string

// The sortable columns. Addresses and names are sealed, so they cannot be sorted on.
const (
	SortCreated   SubscriberSort = "created"
	SortConfirmed SubscriberSort = "confirmed"
	SortStatus    SubscriberSort = "status"
)

// Paging limits of the staff list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// SubscriberQuery selects and orders subscribers for the staff list and the export.
type SubscriberQuery struct {
	Status Status         // "" for every status
	ListID int64          // 0 for every list; else only those subscribed to it
	Sort   SubscriberSort // default SortCreated
	Asc    bool           // default newest (largest) first
	Offset int
	Limit  int // default DefaultPageSize, at most MaxPageSize
}

// Normalize fills defaults and clamps the query to what the store accepts.
func (q SubscriberQuery) Normalize() SubscriberQuery {
	switch q.Sort {
	case SortCreated, SortConfirmed, SortStatus:
	default:
		q.Sort = SortCreated
	}
	if q.Status != Pending && q.Status != Confirmed {
		q.Status = ""
	}
	q.ListID = max(q.ListID, 0)
	q.Offset = max(q.Offset, 0)
	if q.Limit <= 0 {
		q.Limit = DefaultPageSize
	}
	q.Limit = min(q.Limit, MaxPageSize)
	return q
}

// Event is one step of a subscriber's status history (no personal data).
type Event struct {
	At     time.Time
	Event  string
	Detail string
}

// AdminStore is what the staff side needs from storage (part of Store).
type AdminStore interface {
	// SubscriberPage returns one page of subscribers matching q, and how many match.
	SubscriberPage(ctx context.Context, q SubscriberQuery) ([]Record, int, error)
	// CountSubscribers counts the subscribers matching q (paging ignored).
	CountSubscribers(ctx context.Context, q SubscriberQuery) (int, error)
	// EachSubscriber calls fn for every subscriber matching q in id order (paging and
	// sort ignored) with the ids of the lists they receive.
	EachSubscriber(ctx context.Context, q SubscriberQuery, fn func(Record, []int64) error) error
	// SubscribedLists returns, per subscriber id, the ids of the lists they receive.
	SubscribedLists(ctx context.Context, ids []int64) (map[int64][]int64, error)
	SubscriberEvents(ctx context.Context, id int64) ([]Event, error)
	// DeleteSubscriber deletes a subscriber without suppressing the address.
	DeleteSubscriber(ctx context.Context, id int64) error
	// KnownAddresses reports which blind indexes belong to a subscriber and which are
	// suppressed.
	KnownAddresses(ctx context.Context, indexes []string) (existing, suppressed map[string]bool, err error)
	// ImportSubscribers adds confirmed subscribers to lists in one transaction, skipping
	// existing and suppressed addresses (checked inside the transaction).
	ImportSubscribers(ctx context.Context, recs []ImportRecord, lists []int64, consentSource string, at time.Time) (ImportOutcome, error)
}

// Subscriber is a subscriber as staff see it: address and name opened.
type Subscriber struct {
	ID            int64
	Email         pii.Email
	Name          string
	Status        Status
	ConsentSource string
	CreatedAt     time.Time
	ConfirmedAt   time.Time
	Lists         []List // the lists they receive
}

// SubscriberPage is one page of the staff list.
type SubscriberPage struct {
	Subscribers []Subscriber
	Total       int // how many match the query
	Query       SubscriberQuery
}

// SubscriberDetail is everything staff may see about one subscriber.
type SubscriberDetail struct {
	Subscriber
	ConsentTextHash    string
	ConfirmationSentAt time.Time
	UpdatedAt          time.Time
	Memberships        []Membership
	Events             []Event
}

func subscriberSubject(id int64) string { return "subscriber:" + strconv.FormatInt(id, 10) }

// idList names subscribers in an audit entry: ids only.
func idList(subs []Subscriber) string {
	ids := make([]string, len(subs))
	for i, sub := range subs {
		ids[i] = strconv.FormatInt(sub.ID, 10)
	}
	return strings.Join(ids, ",")
}

// ListSubscribers returns one page of subscribers; the view is audited with the ids shown.
func (s *Service) ListSubscribers(ctx context.Context, actor staff.Principal, q SubscriberQuery) (SubscriberPage, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return SubscriberPage{}, err
	}
	st := s.store
	q = q.Normalize()
	recs, total, err := st.SubscriberPage(ctx, q)
	if err != nil {
		return SubscriberPage{}, err
	}
	subs, err := s.openRecords(ctx, st, recs)
	if err != nil {
		return SubscriberPage{}, err
	}
	if len(subs) > 0 {
		err = s.audit.Record(ctx, actor.Name, "subscriber.list", "", "ids", idList(subs),
			"status", string(q.Status), "list", strconv.FormatInt(q.ListID, 10), "offset", strconv.Itoa(q.Offset))
		if err != nil {
			return SubscriberPage{}, err
		}
	}
	return SubscriberPage{Subscribers: subs, Total: total, Query: q}, nil
}

// FindSubscriber looks an address up through the blind index (exact match after
// normalisation). The audit entry records the ids found, never the address searched for.
func (s *Service) FindSubscriber(ctx context.Context, actor staff.Principal, email string) ([]Subscriber, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return nil, err
	}
	st := s.store
	norm, err := pii.NormalizeEmail(email)
	if err != nil {
		return nil, errs.InvalidField("q", "Search for a whole email address, like name@example.com.")
	}
	var subs []Subscriber
	rec, err := s.store.SubscriberByIndex(ctx, s.EmailIndex(norm))
	switch {
	case err == nil:
		if subs, err = s.openRecords(ctx, st, []Record{rec}); err != nil {
			return nil, err
		}
	case !errs.Is(err, errs.NotFound):
		return nil, err
	}
	found := idList(subs)
	if found == "" {
		found = "none"
	}
	if err := s.audit.Record(ctx, actor.Name, "subscriber.search", "", "found", found); err != nil {
		return nil, err
	}
	return subs, nil
}

// GetSubscriber returns one subscriber with consent record, lists and history; audited.
func (s *Service) GetSubscriber(ctx context.Context, actor staff.Principal, id int64) (SubscriberDetail, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return SubscriberDetail{}, err
	}
	st := s.store
	rec, err := s.store.SubscriberByID(ctx, id)
	if err != nil {
		return SubscriberDetail{}, notFoundSubscriber(err)
	}
	subs, err := s.openRecords(ctx, st, []Record{rec})
	if err != nil {
		return SubscriberDetail{}, err
	}
	d := SubscriberDetail{Subscriber: subs[0], ConsentTextHash: rec.ConsentTextHash,
		ConfirmationSentAt: rec.ConfirmationSentAt, UpdatedAt: rec.UpdatedAt}
	if d.Memberships, err = s.store.Memberships(ctx, id); err != nil {
		return SubscriberDetail{}, err
	}
	if d.Events, err = st.SubscriberEvents(ctx, id); err != nil {
		return SubscriberDetail{}, err
	}
	if err := s.audit.Record(ctx, actor.Name, "subscriber.view", subscriberSubject(id)); err != nil {
		return SubscriberDetail{}, err
	}
	return d, nil
}

// DeleteSubscriber deletes a subscriber for good (their history, memberships and queued
// mail go with them). With suppress, the address's blind index joins the suppression
// list (reason manual), so no sign-up or import can add it back.
func (s *Service) DeleteSubscriber(ctx context.Context, actor staff.Principal, id int64, suppress bool) error {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return err
	}
	var err error
	if suppress {
		err = s.store.Erase(ctx, id, "manual", 0, s.now().UTC())
	} else {
		err = s.store.DeleteSubscriber(ctx, id)
	}
	if err != nil {
		return notFoundSubscriber(err)
	}
	return s.audit.Record(ctx, actor.Name, "subscriber.delete", subscriberSubject(id), "suppress", strconv.FormatBool(suppress))
}

func notFoundSubscriber(err error) error {
	if errs.Is(err, errs.NotFound) {
		return errs.Wrap(errs.NotFound, "There is no such subscriber: they may have been deleted or unsubscribed.", err)
	}
	return err
}

// openRecords unseals the records' addresses and names and attaches their lists.
func (s *Service) openRecords(ctx context.Context, st AdminStore, recs []Record) ([]Subscriber, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	lists, err := s.listIndex(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	member, err := st.SubscribedLists(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Subscriber, len(recs))
	for i, r := range recs {
		if out[i], err = s.openRecord(r, member[r.ID], lists); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) openRecord(r Record, listIDs []int64, lists map[int64]List) (Subscriber, error) {
	plain, err := s.sealer.OpenString(SealEmail, r.EmailSealed)
	if err != nil {
		return Subscriber{}, errs.Wrap(errs.Internal, "", err)
	}
	email, err := pii.NewEmail(plain)
	if err != nil {
		return Subscriber{}, errs.Wrap(errs.Internal, "", err)
	}
	var name string
	if r.NameSealed != "" {
		if name, err = s.sealer.OpenString(SealName, r.NameSealed); err != nil {
			return Subscriber{}, errs.Wrap(errs.Internal, "", err)
		}
	}
	sub := Subscriber{ID: r.ID, Email: email, Name: name, Status: r.Status, ConsentSource: r.ConsentSource,
		CreatedAt: r.CreatedAt, ConfirmedAt: r.ConfirmedAt}
	for _, id := range listIDs {
		if l, ok := lists[id]; ok {
			sub.Lists = append(sub.Lists, l)
		}
	}
	return sub, nil
}

func (s *Service) listIndex(ctx context.Context) (map[int64]List, error) {
	all, err := s.store.Lists(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]List, len(all))
	for _, l := range all {
		m[l.ID] = l
	}
	return m, nil
}
