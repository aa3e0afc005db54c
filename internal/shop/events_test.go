package shop_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/stripe"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/testkit/stripefake"
)

// Promise: duplicate and out-of-order webhooks fulfil an order once and never move it
// back.
func TestWebhooksFulfilOnceAndNeverRegress(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	o := e.checkout(t, "DE", "")
	// The customer's card needed 3-D Secure; the webhook arrives before they return.
	out, err := e.svc.PayCard(ctx, o.Ref, card(t, "4000002760003184"))
	must(t, err)
	pi := out.Order.PaymentID
	succeeded := payment.Event{ID: "evt_1", Type: payment.EventPaymentSucceeded, PaymentID: pi, OrderRef: o.Ref, Amount: o.Total, Currency: "eur",
		Method: payment.Method{Brand: "visa", Last4: "3184", ExpMonth: 12, ExpYear: 2034}}
	failedLate := payment.Event{ID: "evt_0", Type: payment.EventPaymentFailed, PaymentID: pi, OrderRef: o.Ref}
	for _, ev := range []payment.Event{succeeded, succeeded, failedLate, {ID: "evt_2", Type: payment.EventPaymentSucceeded, PaymentID: pi, OrderRef: o.Ref, Amount: o.Total, Currency: "EUR"}} {
		must(t, e.svc.HandleEvent(ctx, ev))
	}
	got, _ := e.svc.Order(ctx, o.Ref)
	if got.Status != shop.Fulfilled || got.CardLast4 != "3184" {
		t.Fatalf("after the events: %s %+v", got.Status, got)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM shop_licences"); n != 1 {
		t.Fatalf("%d licences", n)
	}
	if box := e.outbox(t); len(box) != 1 {
		t.Fatalf("outbox: %v", box)
	}
	// The customer returns from 3-D Secure after the webhook: nothing changes.
	if _, err := e.box.Authenticate(pi, true); err != nil {
		t.Fatal(err)
	}
	if out, err := e.svc.ReturnFromAction(ctx, o.Ref, pi); err != nil || !out.Paid {
		t.Fatalf("return: %+v, %v", out, err)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM shop_payment_events"); n != 3 {
		t.Fatalf("%d events recorded, want 3 distinct", n)
	}
	// A dispute moves it forward; a later success event cannot move it back.
	must(t, e.svc.HandleEvent(ctx, payment.Event{ID: "evt_3", Type: payment.EventDisputed, PaymentID: pi}))
	must(t, e.svc.HandleEvent(ctx, payment.Event{ID: "evt_4", Type: payment.EventPaymentSucceeded, PaymentID: pi, OrderRef: o.Ref, Amount: o.Total, Currency: "EUR"}))
	if got, _ := e.svc.Order(ctx, o.Ref); got.Status != shop.Disputed {
		t.Fatalf("after a dispute and a late success: %s", got.Status)
	}
	// Unknown orders are acknowledged and ignored.
	must(t, e.svc.HandleEvent(ctx, payment.Event{ID: "evt_x", Type: payment.EventPaymentSucceeded, PaymentID: "pi_unknown", Amount: 1, Currency: "EUR"}))
}

// A success whose amount differs from the order is not fulfilled.
func TestWebhookAmountMismatchIsNotFulfilled(t *testing.T) {
	e := setup(t)
	o := e.checkout(t, "DE", "")
	must(t, e.svc.HandleEvent(context.Background(), payment.Event{ID: "evt_1", Type: payment.EventPaymentSucceeded, OrderRef: o.Ref, PaymentID: "pi_1", Amount: 1, Currency: "EUR"}))
	if got, _ := e.svc.Order(context.Background(), o.Ref); got.Status != shop.Pending || got.LastError != "amount_mismatch" {
		t.Fatalf("%s %q", got.Status, got.LastError)
	}
}

// Promise: two concurrent refunds cannot exceed the amount paid.
func TestConcurrentRefundsCannotExceedThePayment(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	paid := e.paidOrder(t)
	part := paid.Total*2/3 + 1 // two of these exceed the total
	var wg sync.WaitGroup
	errsOut := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { _, errsOut[i] = e.svc.RefundOrder(ctx, e.clerk, paid.ID, part) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errsOut {
		if err == nil {
			ok++
		} else if ee := (*errs.Error)(nil); !errors.As(err, &ee) || ee.Field != "amount" {
			t.Errorf("refused refund: %v", err)
		}
	}
	got, _ := e.svc.Order(ctx, paid.Ref)
	if ok != 1 || got.Refunded != part || got.RefundHeld != 0 || got.Status != shop.Fulfilled {
		t.Fatalf("%d refunds went through; refunded %d of %d, held %d, %s", ok, got.Refunded, got.Total, got.RefundHeld, got.Status)
	}
	// The rest, then nothing more.
	if _, err := e.svc.RefundOrder(ctx, e.clerk, paid.ID, 0); err != nil {
		t.Fatal(err)
	}
	got, _ = e.svc.Order(ctx, paid.Ref)
	if got.Status != shop.Refunded || got.Refunded != got.Total {
		t.Fatalf("after the full refund: %s %d/%d", got.Status, got.Refunded, got.Total)
	}
	if _, err := e.svc.RefundOrder(ctx, e.clerk, paid.ID, 1); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("refund of a refunded order: %v", err)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM shop_licences WHERE revoked_at = 0"); n != 0 {
		t.Fatalf("%d licences still valid after a full refund", n)
	}
	// A refund webhook for what Candor refunded itself counts nothing twice.
	must(t, e.svc.HandleEvent(ctx, payment.Event{ID: "evt_r", Type: payment.EventRefunded, PaymentID: got.PaymentID, Amount: got.Total}))
	if again, _ := e.svc.Order(ctx, paid.Ref); again.Refunded != got.Total {
		t.Fatalf("refunded %d after the webhook", again.Refunded)
	}
}

// A refund whose answer is lost stays pending and holds its amount; reconciliation
// retries it with the same key.
// A refund the card company answers "pending" is not counted as money back (nor does a
// full one revoke the licences) until it succeeds; one it cancels releases the hold.
func TestPendingAndCanceledRefunds(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	paid := e.paidOrder(t)
	e.proc.refundAs = payment.StatusPending
	if _, err := e.svc.RefundOrder(ctx, e.clerk, paid.ID, 0); err != nil {
		t.Fatal(err)
	}
	got, _ := e.svc.Order(ctx, paid.Ref)
	if got.Refunded != 0 || got.RefundHeld != got.Total || got.Status != shop.Fulfilled {
		t.Fatalf("a pending full refund: refunded %d, held %d, %s; want nothing refunded yet, all held", got.Refunded, got.RefundHeld, got.Status)
	}
	e.proc.refundAs = payment.StatusCanceled
	e.svc.SetClock(func() time.Time { return time.Now().Add(shop.SettleAfter + time.Second) })
	_, err := e.svc.Reconcile(ctx)
	must(t, err)
	got, _ = e.svc.Order(ctx, paid.Ref)
	if got.Refunded != 0 || got.RefundHeld != 0 || got.Status != shop.Fulfilled {
		t.Fatalf("a canceled refund: refunded %d, held %d, %s; want the hold released", got.Refunded, got.RefundHeld, got.Status)
	}
}

func TestLostRefundAnswerIsRetried(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	paid := e.paidOrder(t)
	e.proc.loseRefunds = true
	if _, err := e.svc.RefundOrder(ctx, e.clerk, paid.ID, 1000); errs.CodeOf(err) != errs.Unavailable {
		t.Fatalf("lost refund: %v", err)
	}
	got, _ := e.svc.Order(ctx, paid.Ref)
	if got.RefundHeld != 1000 || got.Refundable() != got.Total-1000 {
		t.Fatalf("held %d", got.RefundHeld)
	}
	e.proc.loseRefunds = false
	e.svc.SetClock(func() time.Time { return time.Now().Add(shop.SettleAfter + time.Second) })
	_, err := e.svc.Reconcile(ctx)
	must(t, err)
	got, _ = e.svc.Order(ctx, paid.Ref)
	if got.Refunded != 1000 || got.RefundHeld != 0 {
		t.Fatalf("after reconciliation: refunded %d, held %d", got.Refunded, got.RefundHeld)
	}
}

func TestStaffNeedTheShopRole(t *testing.T) {
	e := setup(t)
	analyst := e.clerk
	analyst.Role = "analyst"
	if _, _, err := e.svc.ListOrders(context.Background(), analyst, shop.OrderQuery{}); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("analyst lists orders: %v", err)
	}
	if _, err := e.svc.RefundOrder(context.Background(), analyst, 1, 1); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("analyst refunds: %v", err)
	}
}

// A 3-D Secure the customer never finished is given up after a day, and the order
// fails (its coupon use comes back); revoked licences are listed.
func TestAbandonedAuthenticationFailsTheOrder(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	o := e.checkout(t, "DE", "launch")
	out, err := e.svc.PayCard(ctx, o.Ref, card(t, "4000002760003184"))
	if err != nil || out.ActionURL == "" {
		t.Fatalf("3DS: %+v, %v", out, err)
	}
	e.svc.SetClock(func() time.Time { return time.Now().Add(shop.AbandonAfter + time.Hour) })
	_, err = e.svc.Reconcile(ctx)
	must(t, err)
	if got, _ := e.svc.Order(ctx, o.Ref); got.Status != shop.Failed || got.LastError != "abandoned" {
		t.Fatalf("after a day: %s %q", got.Status, got.LastError)
	}
	if n := e.count(t, "SELECT used FROM shop_coupons WHERE code = 'LAUNCH'"); n != 0 {
		t.Fatalf("coupon uses: %d", n)
	}
}

func TestRevokedLicencesAreListed(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	paid := e.paidOrder(t)
	so, err := e.svc.GetOrder(ctx, e.clerk, paid.ID)
	must(t, err)
	must(t, e.svc.RevokeLicence(ctx, e.clerk, paid.ID, so.Licences[0].LicenceID))
	ids, err := e.svc.RevokedLicences(ctx)
	if err != nil || len(ids) != 1 || ids[0] != so.Licences[0].LicenceID {
		t.Fatalf("revoked: %v, %v", ids, err)
	}
	if err := e.svc.RevokeLicence(ctx, e.clerk, paid.ID, so.Licences[0].LicenceID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("revoking twice: %v", err)
	}
}

// Promise: two concurrent submits of one checkout make exactly one PaymentIntent at
// Stripe (the adapter over the fault-injecting fake, which counts them).
func TestConcurrentSubmitsMakeOneStripePaymentIntent(t *testing.T) {
	e := setup(t)
	fake := stripefake.Start(t)
	client, err := stripe.New(stripe.Options{Key: stripefake.Key, API: fake.URL})
	must(t, err)
	svc := e.withProcessor(client, shop.ModePassThrough)
	ctx := context.Background()
	const orders = 5
	for range orders {
		o := e.checkout(t, "DE", "")
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				_, err := svc.PayCard(ctx, o.Ref, card(t, "4242424242424242"))
				if err != nil && !errors.Is(err, shop.ErrPaymentInProgress) && errs.CodeOf(err) != errs.Conflict {
					t.Errorf("submit: %v", err)
				}
			})
		}
		wg.Wait()
		if got, _ := svc.Order(ctx, o.Ref); got.Status != shop.Fulfilled {
			t.Fatalf("order %s is %s", o.Ref, got.Status)
		}
	}
	if n := fake.PaymentIntents(); n != orders {
		t.Fatalf("%d PaymentIntents for %d orders submitted twice each", n, orders)
	}
}
