package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/candor-dev/candor/internal/payment"
)

// Sandbox is the test processor. The zero value is not usable; call New.
type Sandbox struct {
	mu       sync.Mutex
	methods  map[string]method
	payments map[string]*record
	idem     map[string]saved
}

// method is a tokenized test card: its behaviour and public facts, never its number.
type method struct {
	behaviour Behaviour
	m         payment.Method
}

// record is a payment and what has been refunded of it.
type record struct {
	p        payment.Payment
	refunded int64
}

// saved is the first answer given under an idempotency key.
type saved struct {
	request string // what was asked, to refuse the key's reuse for another request
	pay     payment.Payment
	refund  payment.RefundResult
	err     error
}

var _ payment.Processor = (*Sandbox)(nil)

// New returns an empty sandbox.
func New() *Sandbox {
	return &Sandbox{methods: map[string]method{}, payments: map[string]*record{}, idem: map[string]saved{}}
}

// Name returns "test".
func (s *Sandbox) Name() string { return "test" }

// Tokenize records the card's behaviour, brand, last 4 and expiry under a new
// pm_test_… id. It never fails for a parsed card: a card that is not a test card is
// declined when paid with, as Stripe does in test mode.
func (s *Sandbox) Tokenize(_ context.Context, card *payment.Card) (payment.Method, error) {
	if card == nil || card.Number.IsZero() {
		return payment.Method{}, invalid("card_missing", "no card to tokenize")
	}
	m := card.Method(newID("pm_test_"))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods[m.ID] = method{behaviour: behaviourOf(card.Number), m: m}
	return m, nil
}

// Pay pays with a tokenized test card: it succeeds, declines or asks for 3-D Secure
// as the card's behaviour says. A 3-D Secure card answers StatusRequiresAction with
// ActionURL = ReturnURL plus "payment_intent=ID&sandbox_auth=1"; Authenticate
// completes it.
func (s *Sandbox) Pay(_ context.Context, req payment.PayRequest) (payment.Payment, error) {
	fingerprint := fmt.Sprintf("pay %#v", req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sv, done, err := s.replay(req.IdempotencyKey, fingerprint); err != nil {
		return payment.Payment{}, err
	} else if done {
		return sv.pay, sv.err
	}
	m, ok := s.methods[req.MethodID]
	switch {
	case !ok:
		return payment.Payment{}, invalid("resource_missing", "no such payment method")
	case req.Amount <= 0:
		return payment.Payment{}, invalid("amount_too_small", "the amount must be positive")
	case !isCurrency(req.Currency):
		return payment.Payment{}, invalid("invalid_currency", "the currency must be an ISO 4217 code")
	}
	p := payment.Payment{
		ID: newID("pi_test_"), Amount: req.Amount, Currency: strings.ToLower(req.Currency),
		Method: m.m, OrderRef: req.OrderRef, Status: payment.StatusSucceeded,
	}
	var err error
	switch m.behaviour {
	case Succeeds:
	case Requires3DS:
		u, perr := url.Parse(req.ReturnURL)
		if perr != nil || !u.IsAbs() {
			return payment.Payment{}, invalid("return_url_invalid", "3-D Secure needs an absolute return URL")
		}
		q := u.Query()
		q.Set("payment_intent", p.ID)
		q.Set("sandbox_auth", "1")
		u.RawQuery = q.Encode()
		p.Status, p.ActionURL = payment.StatusRequiresAction, u.String()
	default:
		p.Status = payment.StatusFailed
		err = decline(m.behaviour, p.ID)
	}
	s.payments[p.ID] = &record{p: p}
	answer := p
	if err != nil {
		answer = payment.Payment{}
	}
	s.idem[req.IdempotencyKey] = saved{request: fingerprint, pay: answer, err: err}
	return answer, err
}

// Authenticate completes a payment waiting for 3-D Secure, as the customer would on
// the bank's page: approve makes it succeed, refusal makes it fail (StatusFailed, and
// the card may be tried again). It returns the payment's new state; the error is an
// InvalidRequest for an unknown id or a payment not waiting for authentication. Only
// the sandbox's test page calls it.
func (s *Sandbox) Authenticate(id string, approve bool) (payment.Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.payments[id]
	switch {
	case !ok:
		return payment.Payment{}, invalid("resource_missing", "no such payment")
	case r.p.Status != payment.StatusRequiresAction:
		return payment.Payment{}, invalid("payment_intent_unexpected_state", "the payment is not waiting for authentication")
	}
	r.p.ActionURL = ""
	r.p.Status = payment.StatusFailed
	if approve {
		r.p.Status = payment.StatusSucceeded
	}
	return r.p, nil
}

// Payment returns a payment's current state; an unknown id is an InvalidRequest
// "resource_missing".
func (s *Sandbox) Payment(_ context.Context, id string) (payment.Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.payments[id]
	if !ok {
		return payment.Payment{}, invalid("resource_missing", "no such payment")
	}
	return r.p, nil
}

// StartHosted refuses: hosted checkout needs Stripe.
func (s *Sandbox) StartHosted(context.Context, payment.HostedRequest) (payment.HostedSession, error) {
	return payment.HostedSession{}, invalid("hosted_unsupported", "hosted checkout needs Stripe (--payment hosted)")
}

// HostedPayment refuses: hosted checkout needs Stripe.
func (s *Sandbox) HostedPayment(context.Context, string) (payment.Payment, error) {
	return payment.Payment{}, invalid("hosted_unsupported", "hosted checkout needs Stripe (--payment hosted)")
}

// Refund refunds part or all of a succeeded payment under a new re_test_… id; the
// refunds of a payment never exceed its amount (InvalidRequest "amount_too_large").
func (s *Sandbox) Refund(_ context.Context, req payment.RefundRequest) (payment.RefundResult, error) {
	fingerprint := fmt.Sprintf("refund %#v", req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sv, done, err := s.replay(req.IdempotencyKey, fingerprint); err != nil {
		return payment.RefundResult{}, err
	} else if done {
		return sv.refund, sv.err
	}
	r, ok := s.payments[req.PaymentID]
	switch {
	case !ok:
		return payment.RefundResult{}, invalid("resource_missing", "no such payment")
	case r.p.Status != payment.StatusSucceeded:
		return payment.RefundResult{}, invalid("charge_not_refundable", "only a succeeded payment can be refunded")
	case req.Amount <= 0:
		return payment.RefundResult{}, invalid("amount_too_small", "the refund amount must be positive")
	case req.Amount > r.p.Amount-r.refunded:
		return payment.RefundResult{}, invalid("amount_too_large", "the refund exceeds what is left of the payment")
	}
	r.refunded += req.Amount
	res := payment.RefundResult{ID: newID("re_test_"), Amount: req.Amount, Status: payment.StatusSucceeded}
	s.idem[req.IdempotencyKey] = saved{request: fingerprint, refund: res}
	return res, nil
}

// replay looks up an idempotency key, as Stripe does: done with the first answer when
// the same request was made under it before; an InvalidRequest when the key is missing
// or was used for another request. The caller holds s.mu.
func (s *Sandbox) replay(key, fingerprint string) (saved, bool, error) {
	if key == "" {
		return saved{}, false, invalid("idempotency_key_missing", "the request needs an idempotency key")
	}
	sv, ok := s.idem[key]
	if ok && sv.request != fingerprint {
		return saved{}, false, invalid("idempotency_key_reused", "the idempotency key was used for another request")
	}
	return sv, ok, nil
}

// invalid builds an InvalidRequest error with a code.
func invalid(code, cause string) *payment.Error {
	return &payment.Error{Kind: payment.InvalidRequest, Code: code, Cause: fmt.Errorf("sandbox: %s", cause)}
}

// isCurrency reports whether c looks like an ISO 4217 code.
func isCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range strings.ToLower(c) {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// newID returns prefix and 24 random hex digits.
func newID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
