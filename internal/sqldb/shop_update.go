package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/shop"
)

// Update locks one order, lets fn change it and act in the transaction (invoice
// number, licences, refunds, outbox), and writes it back. With eventID set the webhook
// event is recorded first, and a repeated event returns shop.ErrDuplicateEvent with
// nothing changed. On PostgreSQL the order row is locked FOR UPDATE; SQLite has one
// writer, so its write transactions are serial anyway.
func (s ShopStore) Update(ctx context.Context, k shop.OrderKey, eventID, eventType string, fn func(o *shop.Order, tx shop.OrderTx) error) error {
	w, err := orderWhere(k)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *Tx) error {
		now := time.Now().UnixMilli()
		if eventID != "" {
			res, err := tx.Exec(ctx, query("record-payment-event"), eventID, eventType, now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return shop.ErrDuplicateEvent
			}
		}
		q, args := w.fill(tx.Dialect().query("lock-order"))
		o, err := scanOrder(tx.QueryRow(ctx, q, args...))
		if errs.CodeOf(err) == errs.NotFound {
			return errs.E(errs.NotFound, "No such order.")
		} else if err != nil {
			return err
		}
		if err := fn(&o, orderTx{tx}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, query("save-order"),
			string(o.Status), o.Refunded, o.RefundHeld, o.Attempt, string(o.AttemptState), toMillis(o.AttemptAt),
			o.LastError, o.MethodID, o.PaymentID, o.SessionID, o.CardBrand, o.CardLast4, o.CardExpMonth,
			o.CardExpYear, nullIfZero(o.InvoiceNo), now, toMillis(o.PaidAt), o.ID)
		return err
	})
}

// orderTx is shop.OrderTx inside Update's transaction.
type orderTx struct{ tx *Tx }

func (t orderTx) NextInvoiceNumber(ctx context.Context) (int64, error) {
	var n int64
	err := t.tx.QueryRow(ctx, query("next-invoice-number")).Scan(&n)
	return n, err
}

func (t orderTx) AddLicence(ctx context.Context, l *shop.Licence) (err error) {
	l.ID, err = InsertID(ctx, t.tx, query("add-licence"), l.OrderID, l.LicenceID, l.Key, l.Seats, toMillis(l.ExpiresAt), toMillis(l.CreatedAt))
	return err
}

func (t orderTx) RevokeLicences(ctx context.Context, orderID int64, licenceID string, at time.Time) (int64, error) {
	var w filter
	if licenceID != "" {
		w.add("licence_id = ?", licenceID)
	}
	q, args := w.fill(query("revoke-licences"))
	res, err := t.tx.Exec(ctx, q, append([]any{toMillis(at), orderID}, args...)...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}

func (t orderTx) AddRefund(ctx context.Context, r *shop.Refund) (err error) {
	r.ID, err = InsertID(ctx, t.tx, query("add-refund"), r.OrderID, r.Amount, r.IdempotencyKey, string(r.Status), nullIfZero(r.StaffID),
		toMillis(r.CreatedAt), toMillis(r.UpdatedAt))
	return err
}

func (t orderTx) SetRefund(ctx context.Context, id int64, status shop.RefundStatus, processorID string, at time.Time) error {
	return Affected(t.tx.Exec(ctx, query("set-refund"),
		string(status), processorID, toMillis(at), id))
}

func (t orderTx) Queue(ctx context.Context, q mail.Queued) error {
	_, err := InsertOutbox(ctx, t.tx, q)
	return err
}

func (t orderTx) ReleaseCoupon(ctx context.Context, couponID int64) error {
	_, err := t.tx.Exec(ctx, query("release-coupon"), couponID)
	return err
}

// RetakeCoupon counts a use of a coupon again, whatever its cap: the use of an order
// given up (ReleaseCoupon) that was paid after all.
func (t orderTx) RetakeCoupon(ctx context.Context, couponID int64) error {
	_, err := t.tx.Exec(ctx, query("retake-coupon"), couponID)
	return err
}
