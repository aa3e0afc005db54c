package shop

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/staff"
)

// RefundOrder refunds amount minor units of a paid order through the processor (the
// whole remainder when amount is 0). The amount is reserved against the order in the
// database before the processor is asked, so two concurrent refunds can never exceed
// what was paid; a processor that does not answer leaves the refund pending, and the
// reconciliation job retries it with the same idempotency key. Audited.
func (s *Service) RefundOrder(ctx context.Context, actor staff.Principal, orderID, amount int64) (Refund, error) {
	if err := actor.Require(staff.ManageShop); err != nil {
		return Refund{}, err
	}
	var r Refund
	var o Order
	err := s.store.Update(ctx, OrderKey{ID: orderID}, "", "", func(x *Order, tx OrderTx) error {
		if x.Status != Paid && x.Status != Fulfilled {
			return errs.Ef(errs.Conflict, "An order that is %s cannot be refunded.", x.Status)
		}
		if amount == 0 {
			amount = x.Refundable()
		}
		if amount <= 0 || amount > x.Refundable() {
			return errs.InvalidField("amount", "The refund must be more than zero and no more than what is left to refund.")
		}
		now := s.now().UTC()
		r = Refund{OrderID: x.ID, Amount: amount, Status: RefundPending, StaffID: actor.ID, CreatedAt: now, UpdatedAt: now,
			IdempotencyKey: x.Ref + "/refund/" + strconv.FormatInt(now.UnixNano(), 36)}
		if err := tx.AddRefund(ctx, &r); err != nil {
			return err
		}
		x.RefundHeld += amount
		o = *x
		return nil
	})
	if err != nil {
		return Refund{}, err
	}
	if err := s.audit.Record(ctx, actor.Name, "shop.refund", "order:"+itoa(orderID), "amount", itoa(amount), "currency", o.Currency); err != nil {
		return r, err
	}
	res, perr := s.proc.Refund(ctx, payment.RefundRequest{IdempotencyKey: r.IdempotencyKey, PaymentID: o.PaymentID, Amount: amount})
	if err := s.settleRefund(ctx, r, res, perr); err != nil {
		return r, err
	}
	return r, refundError(perr)
}

// refundError is what staff read when the processor refused or did not answer.
func refundError(perr error) error {
	var pe *payment.Error
	switch {
	case perr == nil:
		return nil
	case errors.As(perr, &pe) && pe.OutcomeUnknown():
		return errs.Wrap(errs.Unavailable, "The card company did not answer; the refund stays pending and will be retried.", perr)
	default:
		return errs.Wrap(errs.Conflict, "The card company refused the refund.", perr)
	}
}

// settleRefund records the processor's answer to a refund: succeeded moves the money
// from held to refunded (a full refund ends the order and revokes its licences), a
// refusal or cancellation releases the hold, and an unknown outcome or a refund still
// pending at the processor leaves it held and pending.
func (s *Service) settleRefund(ctx context.Context, r Refund, res payment.RefundResult, perr error) error {
	var pe *payment.Error
	if perr != nil && (!errors.As(perr, &pe) || pe.OutcomeUnknown()) {
		return nil
	}
	return s.store.Update(ctx, OrderKey{ID: r.OrderID}, "", "", func(o *Order, tx OrderTx) error {
		now := s.now().UTC()
		var status RefundStatus
		switch {
		case perr != nil || res.Status == payment.StatusFailed || res.Status == payment.StatusCanceled:
			status = RefundFailed
		case res.Status == payment.StatusSucceeded:
			status = RefundSucceeded
		default:
			// Pending at the card company: the money is neither back with the buyer nor
			// free to refund again. It stays held, and the refund pending, until a
			// later answer settles it.
			return tx.SetRefund(ctx, r.ID, RefundPending, res.ID, now)
		}
		if err := tx.SetRefund(ctx, r.ID, status, res.ID, now); err != nil {
			return err
		}
		o.RefundHeld -= r.Amount
		if status == RefundSucceeded {
			o.Refunded += r.Amount
			return s.refundedInFull(ctx, o, tx, now)
		}
		return nil
	})
}

// refundedInFull ends an order whose whole total has been refunded and revokes its
// licences.
func (s *Service) refundedInFull(ctx context.Context, o *Order, tx OrderTx, now time.Time) error {
	if o.Refunded < o.Total || !CanMove(o.Status, Refunded) {
		return nil
	}
	o.Status = Refunded
	_, err := tx.RevokeLicences(ctx, o.ID, "", now)
	return err
}

// externalRefund applies a refund webhook: refundedSoFar is the processor's total.
// Refunds Candor asked for are settled by settleRefund; only money refunded beyond
// them (in the processor's own dashboard) is added here, so nothing counts twice.
func (s *Service) externalRefund(ctx context.Context, o *Order, tx OrderTx, refundedSoFar int64) error {
	if extra := refundedSoFar - o.Refunded - o.RefundHeld; extra > 0 {
		o.Refunded += min(extra, o.Total-o.Refunded-o.RefundHeld)
		return s.refundedInFull(ctx, o, tx, s.now().UTC())
	}
	return nil
}
