package shop

import (
	"context"
	"errors"
	"time"

	"github.com/candor-dev/candor/internal/payment"
)

// Reconciliation timings.
const (
	// SettleAfter is how long an attempt may stay charging, unknown or awaiting the
	// customer before the reconciliation job asks the processor about it.
	SettleAfter = 2 * time.Minute
	// AbandonAfter is how long an unpaid order stays pending before it fails and gives
	// its coupon use back.
	AbandonAfter = 24 * time.Hour
	// DefaultCouponHold is how long an unpaid order with no payment in flight holds a
	// use of a coupon with a usage cap (--coupon-hold) before it fails and gives the
	// use back: one abandoned checkout must not keep other buyers from the coupon.
	DefaultCouponHold = 30 * time.Minute
)

// Reconcile settles what the webhooks did not: attempts left charging or unknown
// (the processor's answer was lost: the same request is sent again with the same
// idempotency key, which returns the first payment rather than making a second),
// payments awaiting 3-D Secure or a hosted page, orders abandoned unpaid (those
// holding a use of a limited coupon after CouponHold), and refunds left pending. It
// returns how many orders and refunds it looked at.
func (s *Service) Reconcile(ctx context.Context) (int, error) {
	now := s.now().UTC()
	held, err := s.store.CouponHolds(ctx, now.Add(-s.opts.CouponHold), 100)
	if err != nil {
		return 0, err
	}
	var errOut error
	for _, o := range held {
		errOut = errors.Join(errOut, s.abandon(ctx, o.Ref))
	}
	orders, err := s.store.Unsettled(ctx, now.Add(-SettleAfter), now.Add(-AbandonAfter), 100)
	if err != nil {
		return len(held), errors.Join(errOut, err)
	}
	for _, o := range orders {
		if err := s.reconcileOrder(ctx, o, now); err != nil {
			s.opts.Log.Warn("shop: reconciliation could not settle an order", "order", o.Ref, "err", err)
			errOut = errors.Join(errOut, err)
		}
	}
	refunds, err := s.store.PendingRefunds(ctx, now.Add(-SettleAfter), 100)
	if err != nil {
		return len(orders), errors.Join(errOut, err)
	}
	for _, r := range refunds {
		o, err := s.store.Order(ctx, OrderKey{ID: r.OrderID})
		if err == nil {
			res, perr := s.proc.Refund(ctx, payment.RefundRequest{IdempotencyKey: r.IdempotencyKey, PaymentID: o.PaymentID, Amount: r.Amount})
			err = s.settleRefund(ctx, r, res, perr)
		}
		errOut = errors.Join(errOut, err)
	}
	return len(orders) + len(refunds), errOut
}

func (s *Service) reconcileOrder(ctx context.Context, o Order, now time.Time) error {
	var p payment.Payment
	var err error
	switch {
	case o.SessionID != "":
		p, err = s.proc.HostedPayment(ctx, o.SessionID)
	case o.PaymentID != "":
		p, err = s.proc.Payment(ctx, o.PaymentID)
	case o.MethodID != "" && o.AttemptState != AttemptOpen:
		p, err = s.proc.Pay(ctx, s.payRequest(o))
	default:
		p = payment.Payment{Status: payment.StatusFailed} // nothing reached the processor
	}
	if err != nil {
		var pe *payment.Error
		if errors.As(err, &pe) && pe.CardFault() {
			_, err = s.failed(ctx, o, err)
		}
		if err != nil {
			return err
		}
	} else if o, err = s.apply(ctx, OrderKey{Ref: o.Ref}, "", "", p); err != nil {
		return err
	}
	if o.Status == Pending && o.AttemptState == AttemptAction && now.Sub(o.AttemptAt) >= AbandonAfter {
		// 3-D Secure or a hosted page the customer never finished: give up the attempt.
		if err := s.store.Update(ctx, OrderKey{Ref: o.Ref}, "", "", func(x *Order, _ OrderTx) error {
			if x.Status == Pending && x.AttemptState == AttemptAction && x.Attempt == o.Attempt {
				x.AttemptState, x.LastError = AttemptOpen, "abandoned"
			}
			o = *x
			return nil
		}); err != nil {
			return err
		}
	}
	if o.Status == Pending && o.AttemptState == AttemptOpen && now.Sub(o.CreatedAt) >= AbandonAfter {
		return s.abandon(ctx, o.Ref)
	}
	return nil
}

// abandon fails an unpaid order with no payment in flight and gives its coupon use back.
func (s *Service) abandon(ctx context.Context, ref string) error {
	return s.store.Update(ctx, OrderKey{Ref: ref}, "", "", func(x *Order, tx OrderTx) error {
		if x.Status != Pending || x.AttemptState != AttemptOpen {
			return nil
		}
		x.Status = Failed
		if x.CouponID != 0 {
			return tx.ReleaseCoupon(ctx, x.CouponID)
		}
		return nil
	})
}
