package payment

import (
	"context"
	"time"
)

// Processor is the card company, as the shop sees it. Three implementations:
// payment/sandbox (test mode, built in), payment/stripe in pass-through mode (Candor's
// own card form) and in hosted mode (Stripe Checkout). Every method that moves money
// takes an idempotency key; calling it again with the same key and the same request
// never charges or refunds twice.
type Processor interface {
	// Name is "test" for the sandbox and "stripe" for Stripe.
	Name() string

	// Tokenize hands the card to the processor and returns a reference to it (a Stripe
	// PaymentMethod). It is the only method that sees card digits; the caller clears the
	// card right after it returns. Creating a method charges nothing.
	Tokenize(ctx context.Context, card *Card) (Method, error)

	// Pay creates and confirms a payment of a tokenized card (a Stripe PaymentIntent),
	// idempotent per IdempotencyKey: a retry after a lost answer, with the same key and
	// request, returns the first payment and never charges twice. A declined card is a
	// *Error of kind Declined (and the like) carrying the payment id when the processor
	// created one; 3-D Secure answers StatusRequiresAction with an ActionURL.
	Pay(ctx context.Context, req PayRequest) (Payment, error)

	// Payment fetches a payment's current state by its id (reconciliation, the return
	// from 3-D Secure).
	Payment(ctx context.Context, id string) (Payment, error)

	// StartHosted creates a hosted checkout page (a Stripe Checkout Session) where the
	// customer types the card, so it never reaches Candor. Idempotent per key.
	StartHosted(ctx context.Context, req HostedRequest) (HostedSession, error)

	// HostedPayment fetches the payment made on a hosted session; StatusPending (and an
	// empty payment id) while the customer has not paid.
	HostedPayment(ctx context.Context, sessionID string) (Payment, error)

	// Refund refunds Amount (minor units) of a payment, idempotent per key.
	Refund(ctx context.Context, req RefundRequest) (RefundResult, error)
}

// WebhookParser turns a processor's signed webhook into an Event. It checks the
// signature over the raw body and the signed timestamp against the clock (300 s
// tolerance) and returns ErrBadSignature (wrapped) when either is wrong, another error
// when the payload is malformed. Only processors that send webhooks implement it.
type WebhookParser interface {
	ParseWebhook(payload []byte, signatureHeader string) (Event, error)
}

// Status is the state of a payment.
type Status string

// The statuses of a payment.
const (
	StatusPending        Status = "pending"         // created, not yet confirmed or paid
	StatusRequiresAction Status = "requires_action" // the customer must authenticate (3-D Secure)
	StatusProcessing     Status = "processing"      // the processor has not decided yet
	StatusSucceeded      Status = "succeeded"
	StatusFailed         Status = "failed" // declined, or authentication failed: the card may be retried
	StatusCanceled       Status = "canceled"
)

// Method is a tokenized card: a processor id and the card's public facts, the only
// card data the shop may store.
type Method struct {
	ID       string // e.g. pm_…
	Brand    string // visa, mastercard, amex, …
	Last4    string
	ExpMonth int
	ExpYear  int
}

// PayRequest asks for a payment of Amount minor units of Currency with a tokenized card.
type PayRequest struct {
	IdempotencyKey string
	MethodID       string
	Amount         int64
	Currency       string // ISO 4217, lower or upper case
	OrderRef       string // the shop's order reference, stored as processor metadata
	Description    string // what is bought; never personal data
	ReturnURL      string // where the customer comes back after 3-D Secure
}

// Payment is the state of one payment at the processor.
type Payment struct {
	ID        string // e.g. pi_…; empty for a hosted session not yet paid
	Status    Status
	Amount    int64
	Currency  string
	Method    Method // brand, last 4 and expiry when known; never the number
	ActionURL string // StatusRequiresAction: where to send the customer
	OrderRef  string // from the metadata, when the processor echoes it
}

// HostedRequest asks for a hosted checkout page.
type HostedRequest struct {
	IdempotencyKey string
	Amount         int64 // the total, tax included
	Currency       string
	Description    string // shown on the hosted page as the one line item
	OrderRef       string
	SuccessURL     string // may contain {CHECKOUT_SESSION_ID}
	CancelURL      string
}

// HostedSession is a hosted checkout page to redirect the customer to.
type HostedSession struct {
	ID  string // cs_…
	URL string
}

// RefundRequest asks to refund Amount minor units of a payment.
type RefundRequest struct {
	IdempotencyKey string
	PaymentID      string
	Amount         int64
}

// RefundResult is a refund at the processor.
type RefundResult struct {
	ID     string // re_…
	Amount int64
	Status Status // succeeded, pending or failed
}

// EventType is what a webhook reports, in the shop's words.
type EventType string

// The webhook events the shop acts on; every other event is EventIgnored.
const (
	EventPaymentSucceeded EventType = "payment_succeeded" // payment_intent.succeeded
	EventPaymentFailed    EventType = "payment_failed"    // payment_intent.payment_failed
	EventHostedCompleted  EventType = "hosted_completed"  // checkout.session.completed
	EventHostedExpired    EventType = "hosted_expired"    // checkout.session.expired
	EventRefunded         EventType = "refunded"          // charge.refunded
	EventDisputed         EventType = "disputed"          // charge.dispute.created
	EventIgnored          EventType = "ignored"
)

// Event is one verified webhook event.
type Event struct {
	ID        string // evt_…; events are deduplicated by it
	Type      EventType
	Created   time.Time
	PaymentID string // pi_…
	SessionID string // cs_…, for hosted events
	OrderRef  string // from the metadata
	Amount    int64  // the payment's amount, or the amount refunded so far for EventRefunded
	Currency  string
	Method    Method
}
