package stripe

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	sg "github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/candor-dev/candor/internal/payment"
)

// WebhookTolerance is how far a webhook's signed timestamp may be from now, either
// way: older is a replay, newer a signature made ahead of time (or a clock far off).
const WebhookTolerance = 300 * time.Second

// signedAt is the t= timestamp of a Stripe-Signature header, false when there is none.
func signedAt(header string) (time.Time, bool) {
	for part := range strings.SplitSeq(header, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "t="); ok {
			sec, err := strconv.ParseInt(v, 10, 64)
			return time.Unix(sec, 0), err == nil
		}
	}
	return time.Time{}, false
}

// ParseWebhook verifies a webhook's Stripe-Signature header over the raw body with
// the endpoint's signing secret (tolerance WebhookTolerance both ways; the event's API version
// may differ from stripe-go's) and maps the event. A missing, wrong or stale
// signature, or no configured secret, is an error wrapping payment.ErrBadSignature;
// a malformed payload is another error. Events the shop does not act on are
// EventIgnored.
func (c *Client) ParseWebhook(payload []byte, signatureHeader string) (payment.Event, error) {
	if c.webhookSecret == "" {
		return payment.Event{}, fmt.Errorf("stripe: no webhook signing secret configured: %w", payment.ErrBadSignature)
	}
	// stripe-go refuses only old timestamps; a future one beyond the tolerance is
	// refused here, so the skew is bounded both ways.
	if at, ok := signedAt(signatureHeader); ok && at.After(time.Now().Add(WebhookTolerance)) {
		return payment.Event{}, fmt.Errorf("stripe: %w (timestamp too far in the future)", payment.ErrBadSignature)
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signatureHeader, c.webhookSecret,
		webhook.ConstructEventOptions{Tolerance: WebhookTolerance, IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader),
		errors.Is(err, webhook.ErrNoValidSignature), errors.Is(err, webhook.ErrTooOld):
		return payment.Event{}, fmt.Errorf("stripe: %w (%v)", payment.ErrBadSignature, err)
	case err != nil:
		return payment.Event{}, errors.New("stripe: malformed webhook payload")
	}
	return eventOf(ev)
}

// eventOf maps a verified Stripe event.
func eventOf(ev sg.Event) (payment.Event, error) {
	out := payment.Event{ID: ev.ID, Type: payment.EventIgnored, Created: time.Unix(ev.Created, 0).UTC()}
	if ev.ID == "" {
		return payment.Event{}, errors.New("stripe: webhook event without an id")
	}
	var raw json.RawMessage
	if ev.Data != nil {
		raw = ev.Data.Raw
	}
	decode := func(v any) error {
		if len(raw) == 0 {
			return fmt.Errorf("stripe: %s event without an object", ev.Type)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("stripe: malformed %s object", ev.Type)
		}
		return nil
	}
	switch ev.Type {
	case "payment_intent.succeeded", "payment_intent.payment_failed":
		var pi sg.PaymentIntent
		if err := decode(&pi); err != nil {
			return payment.Event{}, err
		}
		out.Type = payment.EventPaymentSucceeded
		if ev.Type == "payment_intent.payment_failed" {
			out.Type = payment.EventPaymentFailed
		}
		p := paymentOf(&pi)
		out.PaymentID, out.OrderRef, out.Amount, out.Currency, out.Method = p.ID, p.OrderRef, p.Amount, p.Currency, p.Method
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		var s sg.CheckoutSession
		if err := decode(&s); err != nil {
			return payment.Event{}, err
		}
		switch {
		case ev.Type == "checkout.session.expired":
			out.Type = payment.EventHostedExpired
		case ev.Type == "checkout.session.async_payment_failed":
			out.Type = payment.EventPaymentFailed
		case s.PaymentStatus == sg.CheckoutSessionPaymentStatusPaid:
			out.Type = payment.EventHostedCompleted
		default:
			// Completed but not paid yet (a delayed payment method): the money is not
			// there. async_payment_succeeded or _failed follows; until then the order
			// stays pending, and reconciliation asks for the session.
			return out, nil
		}
		p := hostedPaymentOf(&s)
		out.SessionID, out.PaymentID, out.OrderRef, out.Amount, out.Currency, out.Method = s.ID, p.ID, p.OrderRef, p.Amount, p.Currency, p.Method
	case "charge.refunded":
		var ch sg.Charge
		if err := decode(&ch); err != nil {
			return payment.Event{}, err
		}
		out.Type = payment.EventRefunded
		out.Amount, out.Currency, out.OrderRef, out.Method = ch.AmountRefunded, string(ch.Currency), ch.Metadata["order_ref"], chargeMethod(&ch)
		if ch.PaymentIntent != nil {
			out.PaymentID = ch.PaymentIntent.ID
		}
	case "charge.dispute.created":
		var d sg.Dispute
		if err := decode(&d); err != nil {
			return payment.Event{}, err
		}
		out.Type = payment.EventDisputed
		out.Amount, out.Currency, out.OrderRef = d.Amount, string(d.Currency), d.Metadata["order_ref"]
		if d.PaymentIntent != nil {
			out.PaymentID = d.PaymentIntent.ID
		}
		if d.Charge != nil && d.Charge.Metadata["order_ref"] != "" {
			out.OrderRef = d.Charge.Metadata["order_ref"]
		}
	}
	return out, nil
}
