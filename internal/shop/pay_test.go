package shop_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/licence"
)

func TestCheckoutValidation(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	base := shop.CheckoutInput{Product: "northwind-pro", Edition: "standard", Currency: "EUR", Quantity: 1, Name: "Ann", Email: "ann@buyer.example", Country: "DE"}
	for field, in := range map[string]func(shop.CheckoutInput) shop.CheckoutInput{
		"email":    func(i shop.CheckoutInput) shop.CheckoutInput { i.Email = "not-an-address"; return i },
		"name":     func(i shop.CheckoutInput) shop.CheckoutInput { i.Name = "Ann\r\nBcc: x@evil.example"; return i },
		"country":  func(i shop.CheckoutInput) shop.CheckoutInput { i.Country = "XX"; return i },
		"quantity": func(i shop.CheckoutInput) shop.CheckoutInput { i.Quantity = 0; return i },
		"currency": func(i shop.CheckoutInput) shop.CheckoutInput { i.Currency = "GBP"; return i },
		"coupon":   func(i shop.CheckoutInput) shop.CheckoutInput { i.Coupon = "NOPE"; return i },
	} {
		_, err := e.svc.StartCheckout(ctx, in(base))
		var ee *errs.Error
		if !errors.As(err, &ee) || ee.Code != errs.Invalid || ee.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	if n := e.count(t, "SELECT COUNT(*) FROM shop_orders"); n != 0 {
		t.Errorf("%d orders stored from invalid checkouts", n)
	}
}

// Promise: a coupon's usage cap holds; the use is reserved when the order is placed
// and given back when the order is abandoned.
func TestCouponCap(t *testing.T) {
	e := setup(t)
	o := e.checkout(t, "DE", "launch")
	if o.Discount != 980 || o.Tax != 745 || o.Total != 4665 {
		t.Fatalf("order with coupon: %+v", o)
	}
	_, err := e.svc.StartCheckout(context.Background(), shop.CheckoutInput{Product: "northwind-pro", Edition: "standard",
		Currency: "EUR", Quantity: 1, Coupon: "LAUNCH", Name: "Bob", Email: "bob@buyer.example", Country: "DE"})
	if ee := (*errs.Error)(nil); !errors.As(err, &ee) || ee.Field != "coupon" {
		t.Fatalf("second use of a one-use coupon: %v", err)
	}
	e.svc.SetClock(func() time.Time { return time.Now().Add(shop.AbandonAfter + time.Hour) })
	if _, err := e.svc.Reconcile(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Order(context.Background(), o.Ref); got.Status != shop.Failed {
		t.Fatalf("abandoned order is %s", got.Status)
	}
	e.svc.SetClock(time.Now)
	e.checkout(t, "DE", "launch") // the use came back
	// The abandoned order is paid after all (a late answer): its use counts again.
	must(t, e.svc.HandleEvent(context.Background(), payment.Event{ID: "evt_late", Type: payment.EventPaymentSucceeded,
		OrderRef: o.Ref, PaymentID: "pi_late", Amount: o.Total, Currency: "EUR"}))
	var used int
	if err := e.db.QueryRow(context.Background(), "SELECT used FROM shop_coupons WHERE code = 'LAUNCH'").Scan(&used); err != nil || used != 2 {
		t.Fatalf("coupon uses after the late payment: %d, %v; want 2 (both orders had the discount)", used, err)
	}
}

// A coupon that leaves nothing to pay is refused on its field before any order is made
// or any use of it taken: the card company charges nothing of zero, so such an order
// could never be paid.
func TestNothingToPayIsRefused(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	must(t, e.svc.SaveCoupon(ctx, e.clerk, &shop.Coupon{Code: "free", PercentOff: 100, MaxUses: 1}))
	must(t, e.svc.SaveCoupon(ctx, e.clerk, &shop.Coupon{Code: "big", AmountOff: 100000, Currency: "EUR", MaxUses: 1}))
	for _, code := range []string{"free", "big"} {
		_, err := e.svc.StartCheckout(ctx, shop.CheckoutInput{Product: "northwind-pro", Edition: "standard",
			Currency: "EUR", Quantity: 1, Coupon: code, Name: "Ann", Email: "ann@buyer.example", Country: "DE"})
		if ee := (*errs.Error)(nil); !errors.As(err, &ee) || ee.Field != "coupon" {
			t.Fatalf("coupon %q leaving nothing to pay: %v; want an error on the coupon field", code, err)
		}
	}
	var orders int
	if err := e.db.QueryRow(ctx, "SELECT COUNT(*) FROM shop_orders").Scan(&orders); err != nil || orders != 0 {
		t.Fatalf("%d orders made, %v; want none", orders, err)
	}
}

// A card company that refuses the card request itself (pass-through on a Stripe account
// without raw card access) is not a card problem and will not settle by itself: the
// buyer is told card payments are unavailable and that nothing was charged, and the
// order stays open to pay later.
func TestCardRequestRefusedByTheCardCompany(t *testing.T) {
	e := setup(t)
	o := e.checkout(t, "DE", "")
	e.proc.refuseCards = payment.Errorf(payment.InvalidRequest, "raw card data APIs are not enabled")
	_, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4242 4242 4242 4242"))
	if errs.CodeOf(err) != errs.Unavailable || !strings.Contains(errs.PublicOf(err), "nothing was charged") || strings.Contains(errs.PublicOf(err), "settle") {
		t.Fatalf("refused card request: %v (%q)", err, errs.PublicOf(err))
	}
	e.proc.refuseCards = nil
	if out, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4242 4242 4242 4242")); err != nil || out.Order.Status != shop.Fulfilled {
		t.Fatalf("paying again once cards are taken: %+v, %v", out.Order.Status, err)
	}
}

// Promise: a successful payment fulfils the order in one step: invoice number,
// licence key that verifies offline, and the receipt in the outbox with brand and
// last 4 only.
func TestPayCardFulfils(t *testing.T) {
	e := setup(t)
	o := e.checkout(t, "GB", "")
	out, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4242 4242 4242 4242"))
	if err != nil || !out.Paid {
		t.Fatalf("pay: %+v, %v", out, err)
	}
	got := out.Order
	if got.Status != shop.Fulfilled || got.InvoiceNo != 1 || got.CardLast4 != "4242" || got.CardBrand != "visa" || got.Tax != 980 || got.Total != 5880 {
		t.Fatalf("paid order: %+v", got)
	}
	so, err := e.svc.GetOrder(context.Background(), e.clerk, got.ID)
	must(t, err)
	if len(so.Licences) != 1 {
		t.Fatalf("licences: %+v", so.Licences)
	}
	l, err := licence.Verify(e.pub, so.Licences[0].Key, time.Now())
	if err != nil || l.Product != "northwind-pro" || l.Edition != "standard" || l.Seats != 1 || !l.Perpetual() {
		t.Fatalf("licence %+v: %v", l, err)
	}
	if box := e.outbox(t); len(box) != 1 || box[0] != "shop.receipt" {
		t.Fatalf("outbox: %v", box)
	}
	if _, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4242424242424242")); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("paying a paid order again: %v", err)
	}
	if pays, _ := e.proc.counts(); pays != 1 {
		t.Fatalf("%d charges", pays)
	}
}

// A declined card ends its attempt; another card is tried under a new idempotency key.
func TestDeclineThenAnotherCard(t *testing.T) {
	e := setup(t)
	o := e.checkout(t, "DE", "")
	for _, c := range []struct{ number, code string }{
		{"4000000000000002", "declined"}, {"4000000000009995", "insufficient_funds"}, {"4000000000000069", "expired_card"},
	} {
		out, err := e.svc.PayCard(context.Background(), o.Ref, card(t, c.number))
		if err != nil || out.Paid || !out.Retry || out.Message == "" {
			t.Fatalf("%s: %+v, %v", c.number, out, err)
		}
		if got, _ := e.svc.Order(context.Background(), o.Ref); got.Status != shop.Pending || got.AttemptState != shop.AttemptOpen {
			t.Fatalf("after %s: %s/%s", c.code, got.Status, got.AttemptState)
		}
	}
	out, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "5555555555554444"))
	if err != nil || !out.Paid || out.Order.Attempt != 4 || out.Order.CardBrand != "mastercard" {
		t.Fatalf("fourth attempt: %+v, %v", out.Order, err)
	}
}

// 3-D Secure: the customer is sent to authenticate; coming back settles the order.
func TestThreeDSecure(t *testing.T) {
	for _, approve := range []bool{true, false} {
		e := setup(t)
		o := e.checkout(t, "DE", "")
		out, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4000002760003184"))
		if err != nil || out.Paid || out.ActionURL == "" {
			t.Fatalf("3DS card: %+v, %v", out, err)
		}
		u, _ := url.Parse(out.ActionURL)
		pi := u.Query().Get("payment_intent")
		if _, err := e.box.Authenticate(pi, approve); err != nil {
			t.Fatal(err)
		}
		out, err = e.svc.ReturnFromAction(context.Background(), o.Ref, pi)
		if err != nil || out.Paid != approve || out.Retry == approve {
			t.Fatalf("approve=%v: %+v, %v", approve, out, err)
		}
	}
}

// Promise: two concurrent submits of one checkout reach the card company once.
func TestConcurrentSubmitsChargeOnce(t *testing.T) {
	e := setup(t)
	o := e.checkout(t, "DE", "")
	e.proc.hold = make(chan struct{})
	var wg sync.WaitGroup
	results := make([]error, 2)
	outs := make([]shop.PayOutcome, 2)
	done := make(chan struct{}, 2)
	for i := range 2 {
		wg.Go(func() {
			outs[i], results[i] = e.svc.PayCard(context.Background(), o.Ref, card(t, "4242424242424242"))
			done <- struct{}{}
		})
	}
	// While the processor holds the submit that reached it, the other must answer
	// without reaching it: wait for that answer, or for a second charge (the failure
	// the last check reports), however long a loaded machine takes, not for a time.
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-time.After(time.Millisecond):
			pays, _ := e.proc.counts()
			waiting = pays < 2
		}
	}
	close(e.proc.hold)
	wg.Wait()
	paid, busy := 0, 0
	for i := range 2 {
		switch {
		case results[i] == nil && outs[i].Paid:
			paid++
		case errors.Is(results[i], shop.ErrPaymentInProgress):
			busy++
		default:
			t.Errorf("submit %d: %+v, %v", i, outs[i], results[i])
		}
	}
	if pays, _ := e.proc.counts(); paid != 1 || busy != 1 || pays != 1 {
		t.Fatalf("%d paid, %d told to wait, %d charges", paid, busy, pays)
	}
}

// Promise: when the card company's answer is lost after it charged, the order waits
// and reconciliation sends the same request with the same idempotency key: one
// charge, one fulfilment.
func TestLostAnswerIsReconciledWithoutASecondCharge(t *testing.T) {
	e := setup(t)
	o := e.checkout(t, "DE", "")
	e.proc.loseNextPay = true
	out, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4242424242424242"))
	if err != nil || out.Paid || out.Retry || out.Order.AttemptState != shop.AttemptUnknown {
		t.Fatalf("lost answer: %+v, %v", out, err)
	}
	if _, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4242424242424242")); !errors.Is(err, shop.ErrPaymentInProgress) {
		t.Fatalf("a new submit while the outcome is unknown: %v", err)
	}
	e.svc.SetClock(func() time.Time { return time.Now().Add(shop.SettleAfter + time.Second) })
	if _, err := e.svc.Reconcile(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := e.svc.Order(context.Background(), o.Ref)
	if got.Status != shop.Fulfilled || got.Attempt != 1 {
		t.Fatalf("after reconciliation: %s attempt %d", got.Status, got.Attempt)
	}
	if n := e.proc.charges(); n != 1 {
		t.Fatalf("the card company charged %d times", n)
	}
}

// A coupon ended by staff stops working at once; ending it twice is not found.
func TestEndCoupon(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	cs, err := e.svc.Coupons(ctx, e.clerk)
	must(t, err)
	must(t, e.svc.EndCoupon(ctx, e.clerk, cs[0].ID))
	_, err = e.svc.StartCheckout(ctx, shop.CheckoutInput{Product: "northwind-pro", Edition: "standard",
		Currency: "EUR", Quantity: 1, Coupon: "launch", Name: "Bob", Email: "bob@buyer.example", Country: "DE"})
	if ee := (*errs.Error)(nil); !errors.As(err, &ee) || ee.Field != "coupon" {
		t.Fatalf("an ended coupon: %v", err)
	}
	if err := e.svc.EndCoupon(ctx, e.clerk, cs[0].ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("ending twice: %v", err)
	}
}
