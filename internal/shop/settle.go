package shop

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/payment"
)

// apply settles an order from the processor's view of its payment, in one transaction
// with the fulfilment. With eventID set the webhook event is recorded in the same
// transaction, and a redelivered event changes nothing.
func (s *Service) apply(ctx context.Context, k OrderKey, eventID, eventType string, p payment.Payment) (Order, error) {
	// The catalogue as of now, read before the write transaction: nothing inside it
	// reads the database but the order (a cache expiring meanwhile cannot either).
	_, catalogue, err := s.products(ctx)
	if err != nil {
		return Order{}, err
	}
	var out Order
	queued := false
	err = s.store.Update(ctx, k, eventID, eventType, func(o *Order, tx OrderTx) error {
		if p.OrderRef != "" && p.OrderRef != o.Ref {
			return errs.E(errs.Invalid, "The payment belongs to another order.")
		}
		switch p.Status {
		case payment.StatusSucceeded:
			if o.Status != Pending && o.Status != Failed {
				break // already paid: a repeated or late event
			}
			if p.Amount != o.Total || !strings.EqualFold(p.Currency, o.Currency) {
				o.LastError = "amount_mismatch"
				s.opts.Log.Error("shop: a payment's amount differs from its order; not fulfilled", "order", o.Ref, "payment", p.ID)
				break
			}
			if o.Status == Failed && o.CouponID != 0 {
				// Given up (its coupon use released), then paid after all: the buyer had
				// the discount, so the use counts again, even beyond the coupon's cap.
				if err := tx.RetakeCoupon(ctx, o.CouponID); err != nil {
					return err
				}
			}
			if p.ID != "" {
				o.PaymentID = p.ID
			}
			s.cardFacts(o, p.Method)
			if err := s.fulfil(ctx, o, tx, catalogue[o.ProductSlug].Downloads); err != nil {
				return err
			}
			queued = true
		case payment.StatusFailed, payment.StatusCanceled:
			if o.Status == Pending && o.AttemptState != AttemptOpen && (o.PaymentID == "" || p.ID == "" || o.PaymentID == p.ID) {
				o.AttemptState, o.LastError = AttemptOpen, "payment_"+string(p.Status)
			}
		case payment.StatusRequiresAction:
			if o.Status == Pending && (o.AttemptState == AttemptCharging || o.AttemptState == AttemptUnknown) {
				o.AttemptState, o.PaymentID = AttemptAction, p.ID
			}
		case payment.StatusProcessing:
			if o.Status == Pending && o.AttemptState == AttemptCharging {
				o.AttemptState, o.PaymentID = AttemptUnknown, p.ID
			}
		}
		out = *o
		return nil
	})
	if queued && err == nil {
		s.wake()
	}
	return out, err
}

// cardFacts records what may be kept of a card: brand, last 4, expiry.
func (s *Service) cardFacts(o *Order, m payment.Method) {
	if m.Last4 == "" {
		return
	}
	o.CardBrand, o.CardLast4, o.CardExpMonth, o.CardExpYear = m.Brand, m.Last4, m.ExpMonth, m.ExpYear
	if m.ID != "" {
		o.MethodID = m.ID
	}
}

// fulfil marks a paid order, numbers its invoice, issues its licence and queues the
// receipt, inside the caller's transaction.
func (s *Service) fulfil(ctx context.Context, o *Order, tx OrderTx, downloads []Download) error {
	now := s.now().UTC()
	if !CanMove(o.Status, Paid) {
		return errs.Ef(errs.Conflict, "An order that is %s cannot be paid.", o.Status)
	}
	o.Status, o.PaidAt, o.AttemptState, o.LastError = Paid, now, AttemptDone, ""
	n, err := tx.NextInvoiceNumber(ctx)
	if err != nil {
		return err
	}
	o.InvoiceNo = n
	l, err := s.issueLicence(o, now)
	if err != nil {
		return err
	}
	if err := tx.AddLicence(ctx, &l); err != nil {
		return err
	}
	q, err := s.receipt(*o, []Licence{l}, downloads, "shop.receipt")
	if err != nil {
		return err
	}
	if err := tx.Queue(ctx, q); err != nil {
		return err
	}
	o.Status = Fulfilled
	return nil
}

// issueLicence signs the order's licence key.
func (s *Service) issueLicence(o *Order, now time.Time) (Licence, error) {
	f := LicenceFacts{
		ID: "L" + itoa(o.InvoiceNo) + "-" + o.Ref[4:12], Product: o.ProductSlug, Edition: o.EditionSlug,
		Seats: o.Seats, Issued: now, TestMode: o.TestMode(),
	}
	if f.TestMode {
		f.ID = "TEST-" + f.ID
	}
	if o.TermDays > 0 {
		f.Expires = now.AddDate(0, 0, o.TermDays)
	}
	key, err := s.signer.SignLicence(f)
	if err != nil {
		return Licence{}, err
	}
	return Licence{OrderID: o.ID, LicenceID: f.ID, Key: key, Seats: f.Seats, ExpiresAt: f.Expires, CreatedAt: now}, nil
}

// HandleEvent applies a verified webhook event. Events are deduplicated by id in the
// same transaction as their effects; an event for an order this installation does not
// know is acknowledged and ignored (nil), so the processor stops resending it.
func (s *Service) HandleEvent(ctx context.Context, ev payment.Event) error {
	k := OrderKey{Ref: ev.OrderRef, PaymentID: ev.PaymentID, SessionID: ev.SessionID}
	if ev.OrderRef != "" && !validRef(ev.OrderRef) {
		return nil
	}
	var err error
	switch ev.Type {
	case payment.EventPaymentSucceeded, payment.EventHostedCompleted:
		_, err = s.apply(ctx, k, ev.ID, string(ev.Type), payment.Payment{ID: ev.PaymentID, Status: payment.StatusSucceeded,
			Amount: ev.Amount, Currency: ev.Currency, Method: ev.Method, OrderRef: ev.OrderRef})
	case payment.EventPaymentFailed:
		_, err = s.apply(ctx, k, ev.ID, string(ev.Type), payment.Payment{ID: ev.PaymentID, Status: payment.StatusFailed, OrderRef: ev.OrderRef})
	case payment.EventHostedExpired:
		err = s.store.Update(ctx, k, ev.ID, string(ev.Type), func(o *Order, tx OrderTx) error {
			if o.Status == Pending && o.SessionID == ev.SessionID {
				o.AttemptState = AttemptOpen // the customer may start a new hosted page
			}
			return nil
		})
	case payment.EventRefunded:
		err = s.store.Update(ctx, k, ev.ID, string(ev.Type), func(o *Order, tx OrderTx) error {
			return s.externalRefund(ctx, o, tx, ev.Amount)
		})
	case payment.EventDisputed:
		err = s.store.Update(ctx, k, ev.ID, string(ev.Type), func(o *Order, tx OrderTx) error {
			if CanMove(o.Status, Disputed) {
				o.Status = Disputed
			}
			return nil
		})
	default:
		return nil
	}
	if errors.Is(err, ErrDuplicateEvent) || errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	return err
}
