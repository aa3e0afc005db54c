package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/shop"
)

// SubjectStore finds and erases one person's data across the domains (privacy.Store),
// reusing each domain's own queries where they exist.
type SubjectStore struct{ DB *DB }

var _ privacy.Store = SubjectStore{}

// maxSubjectRows bounds each kind of record read for one person.
const maxSubjectRows = 10_000

// Holdings returns everything stored under the blind indexes ix.
func (s SubjectStore) Holdings(ctx context.Context, ix privacy.Indexes) (privacy.Holdings, error) {
	var h privacy.Holdings
	var err error
	if h.Subscriber, err = s.subscriber(ctx, ix.Subscriber); err != nil {
		return h, err
	}
	if h.Conversations, err = s.conversations(ctx, ix.Contact); err != nil {
		return h, err
	}
	for _, index := range []string{ix.Order, ix.HeldOrder} {
		orders, err := s.orders(ctx, index)
		if err != nil {
			return h, err
		}
		h.Orders = append(h.Orders, orders...)
	}
	var subID int64
	if h.Subscriber != nil {
		subID = h.Subscriber.Record.ID
	}
	h.Outbox, err = s.outbox(ctx, ix.Subscriber, subID)
	return h, err
}

func (s SubjectStore) subscriber(ctx context.Context, index string) (*privacy.SubscriberHolding, error) {
	ns := NewsletterStore(s)
	rec, err := ns.SubscriberByIndex(ctx, index)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := &privacy.SubscriberHolding{Record: rec}
	if out.Lists, err = ns.Memberships(ctx, rec.ID); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, query("subject-subscriber-events"), rec.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e privacy.SubscriberEvent
		var at int64
		if err := rows.Scan(&at, &e.Event, &e.Detail); err != nil {
			return nil, translate(err)
		}
		e.At = millis(at)
		out.History = append(out.History, e)
	}
	return out, translate(rows.Err())
}

func (s SubjectStore) conversations(ctx context.Context, index string) ([]privacy.ConversationHolding, error) {
	recs, _, err := ContactStore(s).Conversations(ctx, contact.Filter{EmailIndex: index, Limit: maxSubjectRows})
	if err != nil {
		return nil, err
	}
	out := make([]privacy.ConversationHolding, len(recs))
	at := map[int64]int{}
	ids := make([]int64, len(recs))
	for i, r := range recs {
		out[i].Record, at[r.ID], ids[i] = r, i, r.ID
	}
	names := map[int64]string{}
	err = inChunks(ids, func(chunk []any) error {
		rows, err := s.DB.Query(ctx, list(query("subject-messages"), "ids", len(chunk)), chunk...)
		if err != nil {
			return err
		}
		var msgs []contact.MessageRecord
		for rows.Next() {
			var m contact.MessageRecord
			var created int64
			if err := rows.Scan(&m.ID, &m.ConversationID, &m.Kind, &m.BodySealed, &m.AuthorID, &m.MessageID, &created); err != nil {
				rows.Close()
				return translate(err)
			}
			m.CreatedAt = millis(created)
			msgs = append(msgs, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return translate(err)
		}
		for _, m := range msgs { // after rows.Close: staffName reads on the same pool
			mh := privacy.MessageHolding{Message: m}
			if m.Kind == contact.Out && m.AuthorID != 0 {
				if mh.AuthorNameSealed, err = s.staffName(ctx, names, m.AuthorID); err != nil {
					return err
				}
			}
			c := &out[at[m.ConversationID]]
			c.Messages = append(c.Messages, mh)
		}
		return nil
	})
	return out, err
}

// staffName returns the sealed display name of a staff member, cached in names.
func (s SubjectStore) staffName(ctx context.Context, names map[int64]string, id int64) (string, error) {
	if n, ok := names[id]; ok {
		return n, nil
	}
	var n string
	err := s.DB.QueryRow(ctx, query("subject-staff-name"), id).Scan(&n)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", err
	}
	names[id] = n
	return n, nil
}

func (s SubjectStore) orders(ctx context.Context, index string) ([]privacy.OrderHolding, error) {
	ss := ShopStore(s)
	orders, _, err := ss.Orders(ctx, shop.OrderFilter{EmailIndex: index, Limit: maxSubjectRows})
	if err != nil {
		return nil, err
	}
	asked := map[int64]int64{}
	rows, err := s.DB.Query(ctx, query("subject-order-erasure"), index)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return nil, translate(err)
		}
		asked[id] = at
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	out := make([]privacy.OrderHolding, 0, len(orders))
	for _, o := range orders {
		h := privacy.OrderHolding{Order: o, ErasureRequestedAt: millis(asked[o.ID])}
		if h.Licences, err = ss.Licences(ctx, o.ID); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

func (s SubjectStore) outbox(ctx context.Context, index string, subscriberID int64) ([]privacy.OutboxHolding, error) {
	rows, err := s.DB.Query(ctx, query("subject-outbox"), index, subscriberID, maxSubjectRows)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []privacy.OutboxHolding
	for rows.Next() {
		var h privacy.OutboxHolding
		if h.Message, err = scanOutboxMessage(rows, &h.ContentSealed); err != nil {
			return nil, translate(err)
		}
		out = append(out, h)
	}
	return out, translate(rows.Err())
}

// EraseSubscriber deletes the subscriber and suppresses the address ("erased"), as
// unsubscribing does (NewsletterStore.Erase).
func (s SubjectStore) EraseSubscriber(ctx context.Context, id int64, at time.Time) error {
	return NewsletterStore(s).Erase(ctx, id, "erased", 0, at)
}

// EraseConversations deletes conversations; their messages, notes and answers go with
// them (ON DELETE CASCADE).
func (s SubjectStore) EraseConversations(ctx context.Context, ids []int64) (int64, error) {
	return s.updateIDs(ctx, query("subject-delete-conversations"), nil, ids)
}

// DeleteOutbox deletes outbox rows by id; the counts of the campaigns they belonged
// to drop with them, in the same transaction.
func (s SubjectStore) DeleteOutbox(ctx context.Context, ids []int64) (int64, error) {
	var total int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		total = 0
		gone := tally{}
		err := inChunks(ids, func(chunk []any) error {
			if err := gone.dropListed(ctx, tx, list(tx.Dialect().query("outbox-campaign-rows"), "ids", len(chunk)), chunk...); err != nil {
				return err
			}
			res, err := tx.Exec(ctx, list(query("subject-delete-outbox"), "ids", len(chunk)), chunk...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			total += n
			return translate(err)
		})
		if err != nil {
			return err
		}
		return gone.apply(ctx, tx)
	})
	return total, err
}

// EraseBuyerIdentity erases the buyer's name, email and email index of orders,
// keeping what is not personal (amounts, items, invoice number), in one transaction.
// The retention job calls it when an order's legal retention ends; erasure calls it at
// once for abandoned and failed checkouts.
func (s SubjectStore) EraseBuyerIdentity(ctx context.Context, orderIDs ...int64) error {
	_, err := s.updateIDs(ctx, query("erase-buyer-identity"), nil, orderIDs)
	return err
}

// HoldOrders marks orders "erasure requested: kept only for legal retention" and moves
// their email index to heldIndex, so that no lookup of the shop finds them by email.
func (s SubjectStore) HoldOrders(ctx context.Context, heldIndex string, at time.Time, orderIDs ...int64) error {
	_, err := s.updateIDs(ctx, query("hold-orders"), []any{heldIndex, toMillis(at)}, orderIDs)
	return err
}

// updateIDs runs stmt (with an "id IN (?/*ids*/)" list) with args on the rows of ids,
// in chunks, in one transaction, and returns how many rows it changed.
func (s SubjectStore) updateIDs(ctx context.Context, stmt string, args []any, ids []int64) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	return ContactStore(s).updateIDs(ctx, stmt, args, ids)
}
