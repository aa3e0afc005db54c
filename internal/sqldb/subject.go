package sqldb

import (
	"context"
	"slices"
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
	rows, err := s.DB.Query(ctx, "SELECT at, event, detail FROM subscriber_events WHERE subscriber_id = ? ORDER BY at, id", rec.ID)
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
	err = inChunks(ids, func(chunk []any, marks string) error {
		rows, err := s.DB.Query(ctx, `SELECT id, conversation_id, kind, body_sealed, COALESCE(author_id, 0), message_id, created_at
			FROM contact_messages WHERE conversation_id IN (`+marks+`) ORDER BY id`, chunk...)
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
	err := s.DB.QueryRow(ctx, "SELECT display_name_sealed FROM staff WHERE id = ?", id).Scan(&n)
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
	rows, err := s.DB.Query(ctx, "SELECT id, erasure_requested_at FROM shop_orders WHERE email_index = ?", index)
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
	rows, err := s.DB.Query(ctx, "SELECT "+outboxAdminColumns+", content_sealed FROM mail_outbox WHERE to_index = ? OR (subscriber_id IS NOT NULL AND subscriber_id = ?) ORDER BY id LIMIT ?",
		index, subscriberID, maxSubjectRows)
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
	return s.deleteIDs(ctx, "contact_conversations", ids)
}

// DeleteOutbox deletes outbox rows by id.
func (s SubjectStore) DeleteOutbox(ctx context.Context, ids []int64) (int64, error) {
	return s.deleteIDs(ctx, "mail_outbox", ids)
}

func (s SubjectStore) deleteIDs(ctx context.Context, table string, ids []int64) (int64, error) {
	var total int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		return inChunks(ids, func(chunk []any, marks string) error {
			res, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE id IN ("+marks+")", chunk...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			total += n
			return err
		})
	})
	return total, err
}

// EraseBuyerIdentity erases the buyer's name, email and email index of orders,
// keeping what is not personal (amounts, items, invoice number), in one transaction.
// The retention job calls it when an order's legal retention ends; erasure calls it at
// once for abandoned and failed checkouts.
func (s SubjectStore) EraseBuyerIdentity(ctx context.Context, orderIDs ...int64) error {
	return s.updateIDs(ctx, "UPDATE shop_orders SET email_index = '', email_sealed = '', name_sealed = ''", nil, orderIDs)
}

// HoldOrders marks orders "erasure requested: kept only for legal retention" and moves
// their email index to heldIndex, so that no lookup of the shop finds them by email.
func (s SubjectStore) HoldOrders(ctx context.Context, heldIndex string, at time.Time, orderIDs ...int64) error {
	return s.updateIDs(ctx, "UPDATE shop_orders SET email_index = ?, erasure_requested_at = ?", []any{heldIndex, toMillis(at)}, orderIDs)
}

// updateIDs runs stmt with args on the rows of ids, in chunks, in one transaction.
func (s SubjectStore) updateIDs(ctx context.Context, stmt string, args []any, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *Tx) error {
		return inChunks(ids, func(chunk []any, marks string) error {
			_, err := tx.Exec(ctx, stmt+" WHERE id IN ("+marks+")", append(slices.Clone(args), chunk...)...)
			return err
		})
	})
}
