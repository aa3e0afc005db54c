package privacy

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// Schema names the version of the export format (docs/privacy-requests.md).
const Schema = "candor.subject-export/1"

// Subject is everything held about one person, opened: the view of §3 and the export.
// It holds personal data in clear; it is built only for the person or for staff
// answering their request, and never logged.
type Subject struct {
	Schema        string         `json:"schema"`
	GeneratedAt   time.Time      `json:"generated_at"`
	Email         string         `json:"email"`
	Subscription  *Subscription  `json:"subscription"`
	Conversations []Conversation `json:"conversations"`
	Orders        []Order        `json:"orders"`
	Outbox        []OutboxMail   `json:"outbox"`
}

// Subscription is the newsletter subscription (or pending sign-up) with its consent record.
type Subscription struct {
	Status          string            `json:"status"` // pending or confirmed
	Name            string            `json:"name"`
	ConsentSource   string            `json:"consent_source"`
	ConsentTextHash string            `json:"consent_text_hash"`
	CreatedAt       time.Time         `json:"created_at"`
	ConfirmedAt     *time.Time        `json:"confirmed_at"`
	Lists           []SubscribedList  `json:"lists"`
	History         []SubscriberEvent `json:"history"`
}

// SubscribedList is one list and whether the person receives it.
type SubscribedList struct {
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Subscribed bool   `json:"subscribed"`
}

// Conversation is one contact conversation: the person's messages and the replies sent.
type Conversation struct {
	ID        int64     `json:"id"`
	Subject   string    `json:"subject"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Messages  []Message `json:"messages"`
}

// Message is one message: "in" from the person, "out" a reply signed by its author's
// display name. Internal notes are never included.
type Message struct {
	Direction string    `json:"direction"`
	From      string    `json:"from"`
	At        time.Time `json:"at"`
	Text      string    `json:"text"`
}

// Order is one order with its items, totals, card and licences.
type Order struct {
	Ref        string     `json:"ref"`
	Status     string     `json:"status"`
	Name       string     `json:"name"`
	Country    string     `json:"country"`
	CreatedAt  time.Time  `json:"created_at"`
	PaidAt     *time.Time `json:"paid_at"`
	Items      []Item     `json:"items"`
	Currency   string     `json:"currency"`
	Subtotal   int64      `json:"subtotal"`
	Discount   int64      `json:"discount"`
	Tax        int64      `json:"tax"`
	Total      int64      `json:"total"`
	Refunded   int64      `json:"refunded"`
	CardBrand  string     `json:"card_brand"`
	CardLast4  string     `json:"card_last4"`
	Invoice    string     `json:"invoice"`
	Licences   []Licence  `json:"licences"`
	LegalHold  bool       `json:"legal_hold"`
	ErasureAsk *time.Time `json:"erasure_requested_at"`
}

// Item is one line of an order (amounts in minor units of the order's currency).
type Item struct {
	Product    string `json:"product"`
	Edition    string `json:"edition"`
	Quantity   int    `json:"quantity"`
	Seats      int    `json:"seats"`
	UnitAmount int64  `json:"unit_amount"`
}

// Licence is one licence key of an order.
type Licence struct {
	ID        string     `json:"id"`
	Key       string     `json:"key"`
	Seats     int        `json:"seats"`
	ExpiresAt *time.Time `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// OutboxMail is one mail to the person still in the outbox window.
type OutboxMail struct {
	Purpose   string     `json:"purpose"`
	Status    string     `json:"status"`
	Subject   string     `json:"subject"` // "" for campaign mail (rendered when sent)
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// Find returns everything held under email, for staff answering an access request;
// the request is recorded and audited.
func (s *Service) Find(ctx context.Context, actor staff.Principal, email string) (Subject, error) {
	if err := requireStaff(actor); err != nil {
		return Subject{}, err
	}
	return s.find(ctx, actor.Name, StaffDesk, Access, email)
}

// FindSelf is Find for the person themself, after they proved control of the address.
func (s *Service) FindSelf(ctx context.Context, email string) (Subject, error) {
	return s.find(ctx, SelfActor, SelfService, Access, email)
}

func (s *Service) find(ctx context.Context, actor string, ch Channel, kind Kind, email string) (Subject, error) {
	r, norm, err := s.begin(ctx, actor, ch, kind, email)
	if err != nil {
		return Subject{}, err
	}
	h, err := s.store.Holdings(ctx, indexes(s.sealer, norm))
	if err != nil {
		return Subject{}, err
	}
	sub, err := s.open(norm, h)
	if err != nil {
		return Subject{}, err
	}
	action := "privacy.find"
	if kind == Export {
		action = "privacy.export"
	}
	return sub, s.finish(ctx, r, action, countsOf(h))
}

// open turns the sealed holdings into the person's view.
func (s *Service) open(email string, h Holdings) (Subject, error) {
	o := opener{s: s.sealer}
	sub := Subject{Schema: Schema, GeneratedAt: s.now().UTC(), Email: email,
		Conversations: []Conversation{}, Orders: []Order{}, Outbox: []OutboxMail{}}
	if h.Subscriber != nil {
		sub.Subscription = o.subscription(*h.Subscriber)
	}
	for _, c := range h.Conversations {
		sub.Conversations = append(sub.Conversations, o.conversation(c))
	}
	for _, x := range h.Orders {
		sub.Orders = append(sub.Orders, o.order(x))
	}
	for _, m := range h.Outbox {
		sub.Outbox = append(sub.Outbox, o.outbox(m))
	}
	return sub, o.err
}

// opener opens sealed fields, keeping the first error.
type opener struct {
	s   Sealer
	err error
}

func (o *opener) text(context, sealed string) string {
	if sealed == "" || o.err != nil {
		return ""
	}
	v, err := o.s.OpenString(context, sealed)
	if err != nil {
		o.err = err
	}
	return v
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func (o *opener) subscription(h SubscriberHolding) *Subscription {
	r := h.Record
	sub := &Subscription{Status: string(r.Status), Name: o.text(newsletter.SealName, r.NameSealed),
		ConsentSource: r.ConsentSource, ConsentTextHash: r.ConsentTextHash, CreatedAt: r.CreatedAt.UTC(),
		ConfirmedAt: optTime(r.ConfirmedAt), Lists: []SubscribedList{}, History: h.History}
	for _, m := range h.Lists {
		sub.Lists = append(sub.Lists, SubscribedList{Slug: m.List.Slug, Name: m.List.Name, Subscribed: m.Subscribed})
	}
	if sub.History == nil {
		sub.History = []SubscriberEvent{}
	}
	return sub
}

func (o *opener) conversation(h ConversationHolding) Conversation {
	c := Conversation{ID: h.Record.ID, Subject: o.text(contact.SealSubject, h.Record.SubjectSealed),
		Name: o.text(contact.SealName, h.Record.NameSealed), CreatedAt: h.Record.CreatedAt.UTC(), Messages: []Message{}}
	for _, m := range h.Messages {
		msg := Message{At: m.Message.CreatedAt.UTC()}
		switch m.Message.Kind {
		case contact.In:
			msg.Direction, msg.From = "in", c.Name
		case contact.Out:
			msg.Direction, msg.From = "out", o.text(staff.SealName, m.AuthorNameSealed)
		default:
			continue // internal notes are never part of the person's view
		}
		msg.Text = o.text(contact.SealBody, m.Message.BodySealed)
		c.Messages = append(c.Messages, msg)
	}
	return c
}

func (o *opener) order(h OrderHolding) Order {
	x := h.Order
	out := Order{Ref: x.Ref, Status: string(x.Status), Name: o.text(shop.SealName, x.NameSealed), Country: x.Country,
		CreatedAt: x.CreatedAt.UTC(), PaidAt: optTime(x.PaidAt), Currency: x.Currency, Subtotal: x.Subtotal,
		Discount: x.Discount, Tax: x.Tax, Total: x.Total, Refunded: x.Refunded, CardBrand: x.CardBrand,
		CardLast4: x.CardLast4, Licences: []Licence{}, LegalHold: !h.ErasureRequestedAt.IsZero(),
		ErasureAsk: optTime(h.ErasureRequestedAt),
		Items:      []Item{{Product: x.ProductName, Edition: x.EditionName, Quantity: x.Quantity, Seats: x.Seats, UnitAmount: x.UnitAmount}}}
	if x.InvoiceNo != 0 {
		out.Invoice = shop.InvoiceNumber(x.InvoiceNo)
	}
	for _, l := range h.Licences {
		out.Licences = append(out.Licences, Licence{ID: l.LicenceID, Key: l.Key, Seats: l.Seats,
			ExpiresAt: optTime(l.ExpiresAt), RevokedAt: optTime(l.RevokedAt)})
	}
	return out
}

func (o *opener) outbox(h OutboxHolding) OutboxMail {
	m := OutboxMail{Purpose: h.Message.Purpose, Status: string(h.Message.Status), CreatedAt: h.Message.CreatedAt.UTC(),
		SentAt: optTime(h.Message.SentAt)}
	if raw := o.text(mail.SealContent, h.ContentSealed); raw != "" {
		m.Subject = subjectOf(raw)
	}
	return m
}
