// Package privacy holds the rules for one person's data across every domain: finding
// everything held under an email address (by the domains' blind indexes), exporting it,
// erasing it, and recording each data request with its 30-day deadline.
//
// Invariants:
//   - Domain rules only: storage is reached through the small interfaces declared here.
//   - A person's view never holds internal notes, and of staff only the display name of
//     a reply's author.
//   - A data request is stored as ids, counts, the blind index and the sealed address;
//     never the address in clear. Every find, export and erasure is audited (ids and
//     counts only).
//   - Erasure deletes the subscriber (suppressing the address, as unsubscribe does),
//     the conversations and the queued mail; an order's buyer is erased at once unless
//     the order was paid (a law requires keeping it), in which case it is held for the
//     legal retention only, out of every lookup by email.
package privacy

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/shop"
)

// IndexHeldOrder is the blind-index purpose of the buyer of an order held only for the
// legal retention: the shop's own lookups (purpose shop.email) no longer find it.
const IndexHeldOrder = shop.IndexHeldOrder

// Indexes are the blind indexes of one address, one per domain purpose.
type Indexes struct {
	Subscriber string // subscribers, suppressions and the outbox (mail.IndexEmail)
	Contact    string // contact conversations
	Order      string // orders
	HeldOrder  string // orders held for the legal retention after an erasure request
}

// indexes computes every blind index of a normalised address. Each domain indexes its
// email column under the same name as it seals it (checked by a test).
func indexes(s Sealer, normalized string) Indexes {
	return Indexes{
		Subscriber: s.Index(mail.IndexEmail, normalized),
		Contact:    s.Index(contact.SealEmail, normalized),
		Order:      s.Index(shop.SealEmail, normalized),
		HeldOrder:  s.Index(IndexHeldOrder, normalized),
	}
}

// SubscriberEvent is one step of a subscriber's history (no personal data).
type SubscriberEvent struct {
	At     time.Time `json:"at"`
	Event  string    `json:"event"`
	Detail string    `json:"detail"`
}

// SubscriberHolding is a subscriber as stored, with lists and history.
type SubscriberHolding struct {
	Record  newsletter.Record
	Lists   []newsletter.Membership
	History []SubscriberEvent
}

// MessageHolding is one message of a conversation as stored, with the sealed display
// name of the staff member who wrote a reply ("" for the person's own messages).
type MessageHolding struct {
	Message          contact.MessageRecord
	AuthorNameSealed string
}

// ConversationHolding is a conversation as stored with its messages.
type ConversationHolding struct {
	Record   contact.Record
	Messages []MessageHolding
}

// OrderHolding is an order as stored with its licences.
type OrderHolding struct {
	Order              shop.Order
	Licences           []shop.Licence
	ErasureRequestedAt time.Time // zero: no erasure requested
}

// OutboxHolding is one outbox row addressed to the person.
type OutboxHolding struct {
	Message       mail.OutboxMessage
	ContentSealed string // "" for campaign rows (rendered at send time)
}

// Holdings is everything stored under one address, sealed as stored.
type Holdings struct {
	Subscriber    *SubscriberHolding
	Conversations []ConversationHolding
	Orders        []OrderHolding
	Outbox        []OutboxHolding
}

// Empty reports whether nothing is held.
func (h Holdings) Empty() bool {
	return h.Subscriber == nil && len(h.Conversations) == 0 && len(h.Orders) == 0 && len(h.Outbox) == 0
}

// SubjectStore is what finding and erasing one person needs from storage.
// Not-found of a single row is errs.NotFound; Holdings of an unknown address is empty.
type SubjectStore interface {
	// Holdings returns everything stored under the blind indexes ix.
	Holdings(ctx context.Context, ix Indexes) (Holdings, error)
	// EraseSubscriber deletes the subscriber and suppresses the address with reason
	// "erased", exactly as unsubscribing does.
	EraseSubscriber(ctx context.Context, id int64, at time.Time) error
	// EraseConversations deletes conversations with their messages, notes and answers.
	EraseConversations(ctx context.Context, ids []int64) (int64, error)
	// EraseBuyerIdentity erases the buyer's name, email and index of orders.
	EraseBuyerIdentity(ctx context.Context, orderIDs ...int64) error
	// HoldOrders marks orders "erasure requested: kept only for legal retention" at at
	// and moves their email index to heldIndex (out of the shop's lookups).
	HoldOrders(ctx context.Context, heldIndex string, at time.Time, orderIDs ...int64) error
	// DeleteOutbox deletes outbox rows by id.
	DeleteOutbox(ctx context.Context, ids []int64) (int64, error)
	// Compact makes erased data leave the database files (a WAL checkpoint on SQLite).
	Compact(ctx context.Context) error
}

// Sealer opens sealed fields and computes blind indexes (pii.Sealer).
type Sealer interface {
	SealString(context, plaintext string) (string, error)
	OpenString(context, sealed string) (string, error)
	Index(purpose, value string) string
}

// Auditor appends to the audit log.
type Auditor interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}
