package shop_test

import (
	"context"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/shop"
)

// Promise (issue 12, item 8): one abandoned checkout holds a limited coupon only for a
// short window (CouponHold, 30 minutes by default), not for a day: after it, the
// unpaid order fails and other buyers can use the coupon.
func TestLimitedCouponHeldShortly(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	o := e.checkout(t, "DE", "launch") // a one-use coupon
	at := func(d time.Duration) {
		t.Helper()
		e.svc.SetClock(func() time.Time { return time.Now().Add(d) })
		if _, err := e.svc.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
	}
	at(shop.DefaultCouponHold - time.Minute)
	if got, _ := e.svc.Order(ctx, o.Ref); got.Status != shop.Pending {
		t.Fatalf("within the hold the order is %s; want pending", got.Status)
	}
	at(shop.DefaultCouponHold + time.Minute)
	if got, _ := e.svc.Order(ctx, o.Ref); got.Status != shop.Failed {
		t.Fatalf("after the hold the order is %s; want failed, its coupon use given back", got.Status)
	}
	e.checkout(t, "DE", "launch") // another buyer gets the coupon
}
