package stripe

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	sg "github.com/stripe/stripe-go/v85"

	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/payment"
)

// DefaultTimeout bounds one attempt of one request when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// maxRetries is how often stripe-go retries a request that failed on the network
// (with the same idempotency key), after the first attempt.
const maxRetries = 2

// Options configure a Client.
type Options struct {
	Key           string        // secret API key, sk_live_… or sk_test_…
	API           *url.URL      // Stripe's API base; nil for https://api.stripe.com (stripe-mock or stripefake in tests)
	HTTPClient    *http.Client  // the client of the configuration's one way out (internal/egress); nil: one allowing only API
	WebhookSecret string        // the webhook endpoint's signing secret, whsec_…
	Timeout       time.Duration // per attempt; zero for DefaultTimeout
}

// Client is Stripe as a payment.Processor and payment.WebhookParser. It is safe for
// concurrent use.
type Client struct {
	api           *sg.Client
	webhookSecret string
}

var (
	_ payment.Processor     = (*Client)(nil)
	_ payment.WebhookParser = (*Client)(nil)
)

// New returns a Client. The key is required; the error never contains it.
func New(o Options) (*Client, error) {
	if o.Key == "" {
		return nil, errors.New("stripe: no secret key")
	}
	if o.API != nil && (o.API.Scheme != "https" && o.API.Scheme != "http" || o.API.Host == "") {
		return nil, errors.New("stripe: the API base must be an http or https URL")
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	base := o.HTTPClient
	if base == nil {
		api := o.API
		if api == nil {
			api = &url.URL{Scheme: "https", Host: "api.stripe.com"}
		}
		base = egress.New(egress.Options{Destinations: []egress.Destination{egress.ProcessorDestination(api, false)}}).HTTPClient(0)
	}
	c := *base
	if c.Timeout == 0 || c.Timeout > timeout {
		c.Timeout = timeout
	}
	hc := &c
	cfg := &sg.BackendConfig{
		HTTPClient:        hc,
		LeveledLogger:     &sg.LeveledLogger{Level: sg.LevelNull}, // stripe-go logs request errors and bodies otherwise
		MaxNetworkRetries: sg.Int64(maxRetries),
		EnableTelemetry:   sg.Bool(false),
	}
	if o.API != nil {
		cfg.URL = sg.String(strings.TrimSuffix(o.API.String(), "/"))
	}
	api := sg.NewClient(o.Key, sg.WithBackends(sg.NewBackendsWithConfig(cfg)))
	return &Client{api: api, webhookSecret: o.WebhookSecret}, nil
}

// Name returns "stripe".
func (c *Client) Name() string { return "stripe" }

// Tokenize creates a card PaymentMethod from the card's digits (pass-through mode,
// which needs raw card data access on the Stripe account; without it Stripe refuses
// with an InvalidRequest). The digits are in the request body only.
func (c *Client) Tokenize(ctx context.Context, card *payment.Card) (payment.Method, error) {
	if card == nil || card.Number.IsZero() {
		return payment.Method{}, invalid("card_missing", "no card to tokenize")
	}
	cp := &sg.PaymentMethodCreateCardParams{
		Number:   sg.String(card.Number.Reveal()),
		ExpMonth: sg.Int64(int64(card.ExpMonth)),
		ExpYear:  sg.Int64(int64(card.ExpYear)),
	}
	if !card.CVC.IsZero() {
		cp.CVC = sg.String(card.CVC.Reveal())
	}
	pm, err := c.api.V1PaymentMethods.Create(ctx, &sg.PaymentMethodCreateParams{Type: sg.String("card"), Card: cp})
	if err != nil {
		return payment.Method{}, mapError(err)
	}
	m := methodOf(pm)
	if m.Brand == "" { // stripe-mock's fixture may lack card details: keep what we know
		m = card.Method(pm.ID)
	}
	return m, nil
}

// Pay creates and confirms a card PaymentIntent under the request's idempotency key.
func (c *Client) Pay(ctx context.Context, req payment.PayRequest) (payment.Payment, error) {
	switch {
	case req.IdempotencyKey == "":
		return payment.Payment{}, invalid("idempotency_key_missing", "Pay needs an idempotency key")
	case req.MethodID == "":
		return payment.Payment{}, invalid("payment_method_missing", "Pay needs a payment method")
	}
	p := &sg.PaymentIntentCreateParams{
		Amount:             sg.Int64(req.Amount),
		Currency:           sg.String(strings.ToLower(req.Currency)),
		PaymentMethod:      sg.String(req.MethodID),
		PaymentMethodTypes: []*string{sg.String("card")},
		Confirm:            sg.Bool(true),
	}
	if req.ReturnURL != "" {
		p.ReturnURL = sg.String(req.ReturnURL)
	}
	if req.Description != "" {
		p.Description = sg.String(req.Description)
	}
	if req.OrderRef != "" {
		p.AddMetadata("order_ref", req.OrderRef)
	}
	p.AddExpand("payment_method")
	p.SetIdempotencyKey(req.IdempotencyKey)
	pi, err := c.api.V1PaymentIntents.Create(ctx, p)
	if err != nil {
		return payment.Payment{}, mapError(err)
	}
	return paymentOf(pi), nil
}

// Payment retrieves a PaymentIntent, with its payment method and latest charge.
func (c *Client) Payment(ctx context.Context, id string) (payment.Payment, error) {
	if id == "" {
		return payment.Payment{}, invalid("resource_missing", "no payment id")
	}
	p := &sg.PaymentIntentRetrieveParams{}
	p.AddExpand("payment_method")
	p.AddExpand("latest_charge")
	pi, err := c.api.V1PaymentIntents.Retrieve(ctx, id, p)
	if err != nil {
		return payment.Payment{}, mapError(err)
	}
	return paymentOf(pi), nil
}

// Refund refunds Amount of a PaymentIntent under the request's idempotency key.
func (c *Client) Refund(ctx context.Context, req payment.RefundRequest) (payment.RefundResult, error) {
	switch {
	case req.IdempotencyKey == "":
		return payment.RefundResult{}, invalid("idempotency_key_missing", "Refund needs an idempotency key")
	case req.PaymentID == "":
		return payment.RefundResult{}, invalid("resource_missing", "Refund needs a payment id")
	case req.Amount <= 0:
		return payment.RefundResult{}, invalid("amount_too_small", "the refund amount must be positive")
	}
	p := &sg.RefundCreateParams{PaymentIntent: sg.String(req.PaymentID), Amount: sg.Int64(req.Amount)}
	p.SetIdempotencyKey(req.IdempotencyKey)
	r, err := c.api.V1Refunds.Create(ctx, p)
	if err != nil {
		return payment.RefundResult{}, mapError(err)
	}
	return payment.RefundResult{ID: r.ID, Amount: r.Amount, Status: refundStatus(r.Status)}, nil
}
