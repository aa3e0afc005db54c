package stripe

import (
	"context"
	"strings"

	sg "github.com/stripe/stripe-go/v85"

	"github.com/candor-dev/candor/internal/payment"
)

// StartHosted creates a Checkout Session in payment mode with one line item of the
// whole amount, the order reference in the metadata of both the session and its
// PaymentIntent, under the request's idempotency key.
func (c *Client) StartHosted(ctx context.Context, req payment.HostedRequest) (payment.HostedSession, error) {
	switch {
	case req.IdempotencyKey == "":
		return payment.HostedSession{}, invalid("idempotency_key_missing", "StartHosted needs an idempotency key")
	case req.SuccessURL == "" || req.CancelURL == "":
		return payment.HostedSession{}, invalid("url_invalid", "StartHosted needs a success and a cancel URL")
	}
	name := req.Description
	if name == "" {
		name = "Order " + req.OrderRef
	}
	p := &sg.CheckoutSessionCreateParams{
		Mode:               sg.String("payment"),
		PaymentMethodTypes: []*string{sg.String("card")},
		SuccessURL:         sg.String(req.SuccessURL),
		CancelURL:          sg.String(req.CancelURL),
		LineItems: []*sg.CheckoutSessionCreateLineItemParams{{
			Quantity: sg.Int64(1),
			PriceData: &sg.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    sg.String(strings.ToLower(req.Currency)),
				UnitAmount:  sg.Int64(req.Amount),
				ProductData: &sg.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: sg.String(name)},
			},
		}},
		PaymentIntentData: &sg.CheckoutSessionCreatePaymentIntentDataParams{},
	}
	if req.OrderRef != "" {
		p.AddMetadata("order_ref", req.OrderRef)
		p.PaymentIntentData.AddMetadata("order_ref", req.OrderRef)
	}
	p.SetIdempotencyKey(req.IdempotencyKey)
	s, err := c.api.V1CheckoutSessions.Create(ctx, p)
	if err != nil {
		return payment.HostedSession{}, mapError(err)
	}
	return payment.HostedSession{ID: s.ID, URL: s.URL}, nil
}

// HostedPayment retrieves a Checkout Session with its PaymentIntent and that
// intent's payment method. While the customer has not paid it answers StatusPending
// and no payment id; an expired session is StatusCanceled.
func (c *Client) HostedPayment(ctx context.Context, sessionID string) (payment.Payment, error) {
	if sessionID == "" {
		return payment.Payment{}, invalid("resource_missing", "no session id")
	}
	p := &sg.CheckoutSessionRetrieveParams{}
	p.AddExpand("payment_intent")
	p.AddExpand("payment_intent.payment_method")
	s, err := c.api.V1CheckoutSessions.Retrieve(ctx, sessionID, p)
	if err != nil {
		return payment.Payment{}, mapError(err)
	}
	return hostedPaymentOf(s), nil
}

// hostedPaymentOf is a session's payment as the shop sees it.
func hostedPaymentOf(s *sg.CheckoutSession) payment.Payment {
	out := payment.Payment{Status: payment.StatusPending, Amount: s.AmountTotal, Currency: string(s.Currency), OrderRef: s.Metadata["order_ref"]}
	if s.PaymentIntent != nil && s.PaymentIntent.ID != "" {
		pi := paymentOf(s.PaymentIntent)
		out.ID, out.Method, out.Status = pi.ID, pi.Method, pi.Status
		if pi.Amount != 0 {
			out.Amount, out.Currency = pi.Amount, pi.Currency
		}
		if out.OrderRef == "" {
			out.OrderRef = pi.OrderRef
		}
	}
	switch {
	case s.PaymentStatus == sg.CheckoutSessionPaymentStatusPaid:
		out.Status = payment.StatusSucceeded
	case s.Status == sg.CheckoutSessionStatusExpired:
		out.Status = payment.StatusCanceled
	case s.Status == sg.CheckoutSessionStatusOpen:
		out.Status = payment.StatusPending
	}
	return out
}
