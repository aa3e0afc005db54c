package stripe

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/testkit/stripefake"
)

const secretKey = "sk_test_candor_secret_canary"

func fakeClient(t *testing.T, timeout time.Duration) (*stripefake.Fake, *Client, payment.Method) {
	t.Helper()
	f := stripefake.Start(t)
	c, err := New(Options{Key: secretKey, API: f.URL, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	card := testCard(t, "4242424242424242")
	m, err := c.Tokenize(ctx, card)
	card.Clear()
	if err != nil || m.Brand != "visa" || m.Last4 != "4242" {
		t.Fatal(m, err)
	}
	return f, c, m
}

func payReq(m payment.Method, key string) payment.PayRequest {
	return payment.PayRequest{IdempotencyKey: key, MethodID: m.ID, Amount: 1999, Currency: "eur", OrderRef: "ord_1", Description: "Licence"}
}

// checkClean fails when an error shows the secret key or card digits.
func checkClean(t *testing.T, err error) {
	t.Helper()
	var pe *payment.Error
	if !errors.As(err, &pe) {
		t.Fatalf("not a *payment.Error: %#v", err)
	}
	if s := err.Error() + pe.Message(); strings.Contains(s, secretKey) || strings.Contains(s, "4242424242424242") {
		t.Fatalf("error leaks: %s", s)
	}
}

func TestDeclines(t *testing.T) {
	f, c, m := fakeClient(t, 0)
	for decline, kind := range map[string]payment.Kind{
		"generic_decline":         payment.Declined,
		"insufficient_funds":      payment.InsufficientFunds,
		"expired_card":            payment.ExpiredCard,
		"incorrect_cvc":           payment.IncorrectCVC,
		"authentication_required": payment.AuthenticationFailed,
		"fraudulent":              payment.Declined,
	} {
		f.Decline(decline)
		_, err := c.Pay(ctx, payReq(m, "key-"+decline))
		checkClean(t, err)
		var pe *payment.Error
		errors.As(err, &pe)
		if pe.Kind != kind || pe.Code != decline || !strings.HasPrefix(pe.PaymentID, "pi_fake_") || !pe.CardFault() {
			t.Errorf("%s: %#v", decline, pe)
		}
		got, err := c.Payment(ctx, pe.PaymentID)
		if err != nil || got.Status != payment.StatusFailed {
			t.Errorf("%s: Payment = %+v %v", decline, got, err)
		}
		// The same key replays the decline; nothing new is created.
		n := f.PaymentIntents()
		if _, again := c.Pay(ctx, payReq(m, "key-"+decline)); errKind(again) != kind || f.PaymentIntents() != n {
			t.Errorf("%s: replay %v", decline, again)
		}
	}
}

func TestTransientFaults(t *testing.T) {
	f, c, m := fakeClient(t, 0)
	f.Fail(stripefake.RateLimit, 1)
	_, err := c.Pay(ctx, payReq(m, "k429"))
	checkClean(t, err)
	if errKind(err) != payment.RateLimited || f.PaymentIntents() != 0 {
		t.Errorf("429: %v", err)
	}
	f.Fail(stripefake.ServerError, 1)
	_, err = c.Pay(ctx, payReq(m, "k500"))
	checkClean(t, err)
	if pe := (*payment.Error)(nil); !errors.As(err, &pe) || !pe.OutcomeUnknown() || pe.Kind != payment.Unavailable {
		t.Errorf("500: %v", err)
	}
	// The shop retries with the same key once Stripe answers again: one payment.
	for _, key := range []string{"k429", "k500"} {
		if p, err := c.Pay(ctx, payReq(m, key)); err != nil || p.Status != payment.StatusSucceeded {
			t.Errorf("retry %s: %+v %v", key, p, err)
		}
	}
	if f.PaymentIntents() != 2 {
		t.Errorf("%d payments; want 2", f.PaymentIntents())
	}
}

func TestHang(t *testing.T) {
	f, c, m := fakeClient(t, 200*time.Millisecond)
	f.Fail(stripefake.Hang, 1) // the first attempt times out, stripe-go's retry succeeds
	p, err := c.Pay(ctx, payReq(m, "hang-once"))
	if err != nil || p.Status != payment.StatusSucceeded || f.Requests("hang-once") != 2 {
		t.Fatalf("hang once: %+v %v, %d requests", p, err, f.Requests("hang-once"))
	}
	f.Fail(stripefake.Hang, 1+maxRetries)
	_, err = c.Pay(ctx, payReq(m, "hang-always"))
	checkClean(t, err)
	if errKind(err) != payment.Unavailable || f.Requests("hang-always") != 1+maxRetries {
		t.Fatalf("hang: %v, %d requests", err, f.Requests("hang-always"))
	}
}

func TestLostAnswer(t *testing.T) {
	f, c, m := fakeClient(t, 0)
	f.Fail(stripefake.LoseAnswer, 1)
	p, err := c.Pay(ctx, payReq(m, "lost"))
	if err != nil || p.Status != payment.StatusSucceeded || !strings.HasPrefix(p.ID, "pi_fake_") {
		t.Fatalf("Pay after a lost answer: %+v %v", p, err)
	}
	if f.PaymentIntents() != 1 || f.Requests("lost") != 2 {
		t.Fatalf("%d payments, %d requests; want 1 and 2", f.PaymentIntents(), f.Requests("lost"))
	}
	again, err := c.Pay(ctx, payReq(m, "lost"))
	if err != nil || again.ID != p.ID || f.PaymentIntents() != 1 {
		t.Fatalf("second retry: %+v %v", again, err)
	}
}

func TestConcurrentSubmits(t *testing.T) {
	f, c, m := fakeClient(t, 0)
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			p, err := c.Pay(ctx, payReq(m, "order-7"))
			if err != nil {
				t.Error(err)
			}
			ids[i] = p.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("different payments: %v", ids)
		}
	}
	if f.PaymentIntents() != 1 {
		t.Fatalf("%d payments; want 1", f.PaymentIntents())
	}
}

func TestIdempotencyAndRefunds(t *testing.T) {
	f, c, m := fakeClient(t, 0)
	p, err := c.Pay(ctx, payReq(m, "k"))
	if err != nil {
		t.Fatal(err)
	}
	other := payReq(m, "k")
	other.Amount = 1
	_, err = c.Pay(ctx, other)
	checkClean(t, err)
	if pe := (*payment.Error)(nil); !errors.As(err, &pe) || pe.Kind != payment.InvalidRequest || pe.Code != "idempotency_key_reused" {
		t.Errorf("reused key: %v", err)
	}
	r, err := c.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r1", PaymentID: p.ID, Amount: 1000})
	if err != nil || r.Amount != 1000 || r.Status != payment.StatusSucceeded {
		t.Fatal(r, err)
	}
	if again, err := c.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r1", PaymentID: p.ID, Amount: 1000}); err != nil || again.ID != r.ID {
		t.Error("refund retry", again, err)
	}
	_, err = c.Refund(ctx, payment.RefundRequest{IdempotencyKey: "r2", PaymentID: p.ID, Amount: 1000})
	checkClean(t, err)
	if errKind(err) != payment.InvalidRequest || f.Refunds() != 1 {
		t.Errorf("over-refund: %v, %d refunds", err, f.Refunds())
	}
	_, err = c.Payment(ctx, "pi_fake_missing")
	if errKind(err) != payment.InvalidRequest {
		t.Errorf("missing payment: %v", err)
	}
	bad, _ := New(Options{Key: "rk_wrong_" + secretKey, API: f.URL})
	_, err = bad.Payment(ctx, p.ID)
	checkClean(t, err)
	if errKind(err) != payment.InvalidRequest {
		t.Errorf("bad key: %v", err)
	}
}

func TestHostedAgainstFake(t *testing.T) {
	_, c, _ := fakeClient(t, 0)
	hs, err := c.StartHosted(ctx, payment.HostedRequest{IdempotencyKey: "h", Amount: 1999, Currency: "EUR", OrderRef: "ord_1",
		SuccessURL: "https://shop.example/ok", CancelURL: "https://shop.example/no"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.HostedPayment(ctx, hs.ID)
	if err != nil || p.Status != payment.StatusPending || p.ID != "" || p.Amount != 1999 || p.OrderRef != "ord_1" {
		t.Fatalf("HostedPayment = %+v %v", p, err)
	}
}
