package stripe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/testkit/stripemock"
)

var ctx = context.Background()

func testCard(t *testing.T, number string) *payment.Card {
	t.Helper()
	c, err := payment.ParseCard(number, "12", fmt.Sprint(time.Now().Year()+3), "123", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func errKind(err error) payment.Kind {
	var pe *payment.Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return ""
}

// TestAgainstStripeMock runs every method against Stripe's own mock, which checks
// that each request is one Stripe's API accepts.
func TestAgainstStripeMock(t *testing.T) {
	m := stripemock.Start(t)
	c, err := New(Options{Key: stripemock.Key, API: m.URL, WebhookSecret: "whsec_x"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "stripe" {
		t.Error(c.Name())
	}
	card := testCard(t, "4242424242424242")
	pm, err := c.Tokenize(ctx, card)
	card.Clear()
	if err != nil || !strings.HasPrefix(pm.ID, "pm_") || pm.Brand != "visa" || pm.Last4 != "4242" {
		t.Fatalf("Tokenize = %+v %v", pm, err)
	}
	p, err := c.Pay(ctx, payment.PayRequest{IdempotencyKey: "order-1", MethodID: pm.ID, Amount: 1999, Currency: "EUR",
		OrderRef: "ord_1", Description: "Licence", ReturnURL: "https://shop.example/return"})
	if err != nil || !strings.HasPrefix(p.ID, "pi_") || p.Amount != 1999 || p.Currency != "eur" || p.Status == "" {
		t.Fatalf("Pay = %+v %v", p, err)
	}
	got, err := c.Payment(ctx, p.ID)
	if err != nil || got.ID != p.ID || got.Method.Last4 == "" || got.Method.Brand == "" || got.Method.ExpYear == 0 {
		t.Fatalf("Payment = %+v %v", got, err)
	}
	hs, err := c.StartHosted(ctx, payment.HostedRequest{IdempotencyKey: "hosted-1", Amount: 1999, Currency: "eur",
		Description: "Licence", OrderRef: "ord_1", SuccessURL: "https://shop.example/ok?s={CHECKOUT_SESSION_ID}", CancelURL: "https://shop.example/cancel"})
	if err != nil || !strings.HasPrefix(hs.ID, "cs_") || !strings.HasPrefix(hs.URL, "https://") {
		t.Fatalf("StartHosted = %+v %v", hs, err)
	}
	hp, err := c.HostedPayment(ctx, hs.ID)
	if err != nil || hp.Status == "" {
		t.Fatalf("HostedPayment = %+v %v", hp, err)
	}
	r, err := c.Refund(ctx, payment.RefundRequest{IdempotencyKey: "refund-1", PaymentID: p.ID, Amount: 500})
	if err != nil || !strings.HasPrefix(r.ID, "re_") || r.Amount != 500 || r.Status == "" {
		t.Fatalf("Refund = %+v %v", r, err)
	}
}

// TestStripeMockHTTPS goes through the HTTPS listener with the caller's HTTP client
// (stripe-mock's certificate is self-signed), showing Options.HTTPClient is used.
func TestStripeMockHTTPS(t *testing.T) {
	m := stripemock.Start(t)
	c, _ := New(Options{Key: stripemock.Key, API: m.HTTPSURL})
	if _, err := c.Payment(ctx, "pi_123"); errKind(err) != payment.Unavailable {
		t.Fatalf("untrusted certificate: %v", err)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	c, _ = New(Options{Key: stripemock.Key, API: m.HTTPSURL, HTTPClient: hc, Timeout: 5 * time.Second})
	if p, err := c.Payment(ctx, "pi_123"); err != nil || p.ID != "pi_123" {
		t.Fatalf("Payment over HTTPS = %+v %v", p, err)
	}
}

func TestInvalidRequests(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without a key")
	}
	c, _ := New(Options{Key: "sk_test_secret_never_shown"})
	for name, err := range map[string]error{
		"pay key":    func() error { _, e := c.Pay(ctx, payment.PayRequest{MethodID: "pm_1"}); return e }(),
		"pay method": func() error { _, e := c.Pay(ctx, payment.PayRequest{IdempotencyKey: "k"}); return e }(),
		"refund key": func() error { _, e := c.Refund(ctx, payment.RefundRequest{PaymentID: "pi_1", Amount: 1}); return e }(),
		"refund zero": func() error {
			_, e := c.Refund(ctx, payment.RefundRequest{IdempotencyKey: "k", PaymentID: "pi_1"})
			return e
		}(),
		"hosted key":   func() error { _, e := c.StartHosted(ctx, payment.HostedRequest{}); return e }(),
		"hosted urls":  func() error { _, e := c.StartHosted(ctx, payment.HostedRequest{IdempotencyKey: "k"}); return e }(),
		"payment id":   func() error { _, e := c.Payment(ctx, ""); return e }(),
		"session id":   func() error { _, e := c.HostedPayment(ctx, ""); return e }(),
		"tokenize nil": func() error { _, e := c.Tokenize(ctx, nil); return e }(),
	} {
		if errKind(err) != payment.InvalidRequest {
			t.Errorf("%s: %v", name, err)
		}
	}
}
