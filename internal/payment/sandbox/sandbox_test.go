package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/payment"
)

var ctx = context.Background()

func card(t *testing.T, number string) *payment.Card {
	t.Helper()
	cvc := "123"
	if strings.HasPrefix(number, "37") {
		cvc = "1234"
	}
	c, err := payment.ParseCard(number, "12", fmt.Sprint(time.Now().Year()+3), cvc, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pay(t *testing.T, s *Sandbox, number, key string) (payment.Method, payment.Payment, error) {
	t.Helper()
	c := card(t, number)
	m, err := s.Tokenize(ctx, c)
	c.Clear()
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Pay(ctx, payment.PayRequest{IdempotencyKey: key, MethodID: m.ID, Amount: 1999, Currency: "EUR",
		OrderRef: "ord_1", Description: "Licence", ReturnURL: "https://shop.example/pay/return?order=ord_1"})
	return m, p, err
}

func TestTestCards(t *testing.T) {
	tests := []struct {
		number string
		brand  string
		status payment.Status
		kind   payment.Kind
		code   string
	}{
		{"4242 4242 4242 4242", "visa", payment.StatusSucceeded, "", ""},
		{"5555 5555 5555 4444", "mastercard", payment.StatusSucceeded, "", ""},
		{"3782 822463 10005", "amex", payment.StatusSucceeded, "", ""},
		{"4000 0000 0000 0002", "visa", payment.StatusFailed, payment.Declined, "generic_decline"},
		{"4000 0000 0000 9995", "visa", payment.StatusFailed, payment.InsufficientFunds, "insufficient_funds"},
		{"4000 0000 0000 0069", "visa", payment.StatusFailed, payment.ExpiredCard, "expired_card"},
		{"4000 0000 0000 0127", "visa", payment.StatusFailed, payment.IncorrectCVC, "incorrect_cvc"},
		{"4000 0027 6000 3184", "visa", payment.StatusRequiresAction, "", ""},
		{"4000 0566 5566 5556", "visa", payment.StatusFailed, payment.Declined, LiveCardCode},
		{"6011 1111 1111 1117", "discover", payment.StatusFailed, payment.Declined, LiveCardCode},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			s := New()
			m, p, err := pay(t, s, tt.number, "key-"+tt.number)
			digits := strings.ReplaceAll(tt.number, " ", "")
			if !strings.HasPrefix(m.ID, "pm_test_") || m.Brand != tt.brand || m.Last4 != digits[len(digits)-4:] || m.ExpMonth != 12 {
				t.Errorf("method %+v", m)
			}
			if strings.Contains(fmt.Sprintf("%+v %+v %+v", s.methods, s.payments, s.idem), digits) {
				t.Error("the sandbox kept the card number")
			}
			id := p.ID
			if tt.kind != "" {
				var pe *payment.Error
				if !errors.As(err, &pe) || pe.Kind != tt.kind || pe.Code != tt.code || !pe.CardFault() || !strings.HasPrefix(pe.PaymentID, "pi_test_") {
					t.Fatalf("Pay error = %#v", err)
				}
				id = pe.PaymentID
			} else if err != nil {
				t.Fatal(err)
			}
			got, err := s.Payment(ctx, id)
			if err != nil || got.Status != tt.status || got.Amount != 1999 || got.Currency != "eur" || got.OrderRef != "ord_1" || got.Method != m {
				t.Errorf("Payment = %+v, %v; want status %s", got, err, tt.status)
			}
			if tt.kind == "" && p.Status != tt.status {
				t.Errorf("Pay status = %s", p.Status)
			}
		})
	}
}

func TestThreeDSecure(t *testing.T) {
	for _, approve := range []bool{true, false} {
		s := New()
		_, p, err := pay(t, s, "4000002760003184", "k")
		if err != nil || p.Status != payment.StatusRequiresAction {
			t.Fatal(p, err)
		}
		u, _ := url.Parse(p.ActionURL)
		if u.Host != "shop.example" || u.Path != "/pay/return" || u.Query().Get("order") != "ord_1" ||
			u.Query().Get("payment_intent") != p.ID || u.Query().Get("sandbox_auth") != "1" {
			t.Errorf("ActionURL %s", p.ActionURL)
		}
		got, err := s.Authenticate(p.ID, approve)
		want := map[bool]payment.Status{true: payment.StatusSucceeded, false: payment.StatusFailed}[approve]
		if err != nil || got.Status != want || got.ActionURL != "" {
			t.Errorf("Authenticate(%v) = %+v %v", approve, got, err)
		}
		if _, err := s.Authenticate(p.ID, true); kindOf(err) != payment.InvalidRequest {
			t.Errorf("second Authenticate: %v", err)
		}
	}
	if _, err := New().Authenticate("pi_test_nope", true); kindOf(err) != payment.InvalidRequest {
		t.Error(err)
	}
}

func kindOf(err error) payment.Kind {
	var pe *payment.Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return ""
}

func codeOf(err error) string {
	var pe *payment.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestIdempotency(t *testing.T) {
	s := New()
	m, first, err := pay(t, s, "4242424242424242", "order-1")
	if err != nil {
		t.Fatal(err)
	}
	req := payment.PayRequest{IdempotencyKey: "order-1", MethodID: m.ID, Amount: 1999, Currency: "EUR",
		OrderRef: "ord_1", Description: "Licence", ReturnURL: "https://shop.example/pay/return?order=ord_1"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if again, err := s.Pay(ctx, req); err != nil || again != first {
				t.Errorf("retry = %+v %v; want %+v", again, err, first)
			}
		})
	}
	wg.Wait()
	if len(s.payments) != 1 {
		t.Errorf("%d payments; want 1", len(s.payments))
	}
	req.Amount = 2999
	if _, err := s.Pay(ctx, req); codeOf(err) != "idempotency_key_reused" {
		t.Errorf("reused key: %v", err)
	}
	// A decline is replayed too.
	_, _, err1 := pay(t, s, "4000000000000002", "order-2")
	if codeOf(err1) != "generic_decline" {
		t.Fatal(err1)
	}
	req.IdempotencyKey = ""
	if _, err := s.Pay(ctx, req); codeOf(err) != "idempotency_key_missing" {
		t.Errorf("empty key: %v", err)
	}
}

func TestPayInvalid(t *testing.T) {
	s := New()
	m, _ := s.Tokenize(ctx, card(t, "4242424242424242"))
	for name, req := range map[string]payment.PayRequest{
		"resource_missing":   {MethodID: "pm_test_x", Amount: 1, Currency: "eur"},
		"amount_too_small":   {MethodID: m.ID, Amount: 0, Currency: "eur"},
		"invalid_currency":   {MethodID: m.ID, Amount: 1, Currency: "€"},
		"return_url_invalid": {},
	} {
		if name == "return_url_invalid" {
			m3, _ := s.Tokenize(ctx, card(t, "4000002760003184"))
			req = payment.PayRequest{MethodID: m3.ID, Amount: 1, Currency: "eur"}
		}
		req.IdempotencyKey = name
		if _, err := s.Pay(ctx, req); kindOf(err) != payment.InvalidRequest || codeOf(err) != name {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.Tokenize(ctx, &payment.Card{}); kindOf(err) != payment.InvalidRequest {
		t.Error(err)
	}
	if _, err := s.Payment(ctx, "pi_test_nope"); codeOf(err) != "resource_missing" {
		t.Error(err)
	}
	if _, err := s.StartHosted(ctx, payment.HostedRequest{}); kindOf(err) != payment.InvalidRequest || !strings.Contains(err.Error(), "needs Stripe") {
		t.Error(err)
	}
	if _, err := s.HostedPayment(ctx, "cs_x"); kindOf(err) != payment.InvalidRequest {
		t.Error(err)
	}
	if s.Name() != "test" {
		t.Error(s.Name())
	}
}

func TestRefund(t *testing.T) {
	s := New()
	_, p, err := pay(t, s, "4242424242424242", "k")
	if err != nil {
		t.Fatal(err)
	}
	r1, err := s.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r1", PaymentID: p.ID, Amount: 999})
	if err != nil || !strings.HasPrefix(r1.ID, "re_test_") || r1.Amount != 999 || r1.Status != payment.StatusSucceeded {
		t.Fatal(r1, err)
	}
	if again, err := s.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r1", PaymentID: p.ID, Amount: 999}); err != nil || again != r1 {
		t.Error("refund retry", again, err)
	}
	if _, err := s.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r1", PaymentID: p.ID, Amount: 1}); codeOf(err) != "idempotency_key_reused" {
		t.Error(err)
	}
	if _, err := s.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r2", PaymentID: p.ID, Amount: 1001}); codeOf(err) != "amount_too_large" {
		t.Error(err)
	}
	if _, err := s.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r3", PaymentID: p.ID, Amount: 1000}); err != nil {
		t.Error(err)
	}
	if _, err := s.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r4", PaymentID: p.ID, Amount: 1}); codeOf(err) != "amount_too_large" {
		t.Error(err)
	}
	_, _, err = pay(t, s, "4000000000000002", "k2")
	var pe *payment.Error
	errors.As(err, &pe)
	for code, req := range map[string]payment.RefundRequest{
		"charge_not_refundable":   {IdempotencyKey: "r5", PaymentID: pe.PaymentID, Amount: 1},
		"resource_missing":        {IdempotencyKey: "r6", PaymentID: "pi_test_nope", Amount: 1},
		"amount_too_small":        {IdempotencyKey: "r7", PaymentID: p.ID, Amount: 0},
		"idempotency_key_missing": {PaymentID: p.ID, Amount: 1},
	} {
		if _, err := s.Refund(ctx, req); codeOf(err) != code {
			t.Errorf("%s: %v", code, err)
		}
	}
}
