package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/shop"
)

func scanOrder(sc interface{ Scan(...any) error }) (shop.Order, error) {
	var o shop.Order
	var inclusive int
	var attemptAt, created, updated, paid int64
	err := sc.Scan(&o.ID, &o.Ref, &o.Status, &o.Mode, &o.EmailIndex, &o.EmailSealed, &o.NameSealed, &o.Country,
		&o.ProductID, &o.EditionID, &o.ProductSlug, &o.EditionSlug, &o.ProductName, &o.EditionName, &o.Seats,
		&o.TermDays, &o.Quantity, &o.Currency, &o.UnitAmount, &o.Subtotal, &o.Discount, &o.Tax, &o.TaxRate,
		&inclusive, &o.Total, &o.CouponID, &o.CouponCode, &o.Refunded, &o.RefundHeld, &o.Attempt, &o.AttemptState,
		&attemptAt, &o.LastError, &o.MethodID, &o.PaymentID, &o.SessionID, &o.CardBrand, &o.CardLast4,
		&o.CardExpMonth, &o.CardExpYear, &o.InvoiceNo, &created, &updated, &paid)
	o.TaxInclusive = inclusive != 0
	o.AttemptAt, o.CreatedAt, o.UpdatedAt, o.PaidAt = millis(attemptAt), millis(created), millis(updated), millis(paid)
	if err != nil {
		return o, translate(err)
	}
	return o, nil
}

// orderWhere is the condition that finds an order by the first field of k that is set.
func orderWhere(k shop.OrderKey) (filter, error) {
	var w filter
	switch {
	case k.ID != 0:
		w.add("id = ?", k.ID)
	case k.Ref != "":
		w.add("ref = ?", k.Ref)
	case k.PaymentID != "":
		w.add("payment_id = ?", k.PaymentID)
	case k.SessionID != "":
		w.add("session_id = ?", k.SessionID)
	default:
		return w, errs.E(errs.NotFound, "No such order.")
	}
	return w, nil
}

// CreateOrder inserts an order and reserves a use of its coupon in one transaction.
func (s ShopStore) CreateOrder(ctx context.Context, o *shop.Order) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		if o.CouponID != 0 {
			err := Affected(tx.Exec(ctx, query("use-coupon"), o.CouponID))
			if errs.CodeOf(err) == errs.NotFound {
				return errs.E(errs.Conflict, "This coupon has been used up.")
			} else if err != nil {
				return err
			}
		}
		var err error
		o.ID, err = InsertID(ctx, tx, query("insert-order"),
			o.Ref, string(o.Status), o.Mode, o.EmailIndex, o.EmailSealed, o.NameSealed, o.Country, o.ProductID,
			o.EditionID, o.ProductSlug, o.EditionSlug, o.ProductName, o.EditionName, o.Seats, o.TermDays, o.Quantity,
			o.Currency, o.UnitAmount, o.Subtotal, o.Discount, o.Tax, o.TaxRate, boolInt(o.TaxInclusive), o.Total,
			nullIfZero(o.CouponID), o.CouponCode, string(o.AttemptState), toMillis(o.CreatedAt), toMillis(o.UpdatedAt))
		return err
	})
}

// Order returns one order.
func (s ShopStore) Order(ctx context.Context, k shop.OrderKey) (shop.Order, error) {
	w, err := orderWhere(k)
	if err != nil {
		return shop.Order{}, err
	}
	q, args := w.fill(query("order"))
	o, err := scanOrder(s.DB.QueryRow(ctx, q, args...))
	if errs.CodeOf(err) == errs.NotFound {
		err = errs.E(errs.NotFound, "No such order.")
	}
	return o, err
}

// Orders returns a page of orders, newest first, and how many match.
func (s ShopStore) Orders(ctx context.Context, f shop.OrderFilter) ([]shop.Order, int, error) {
	var w filter
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.EmailIndex != "" {
		w.add("email_index = ?", f.EmailIndex)
	}
	if f.Ref != "" {
		w.add("ref = ?", f.Ref)
	}
	var total int
	q, args := w.fill(query("count-orders"))
	if err := s.DB.QueryRow(ctx, q, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q, args = w.fill(query("orders"), limit, f.Offset)
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collectOrders(rows)
	return out, total, err
}

func collectOrders(rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}) ([]shop.Order, error) {
	defer rows.Close()
	var out []shop.Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, translate(rows.Err())
}

// Licences returns an order's licences, oldest first.
func (s ShopStore) Licences(ctx context.Context, orderID int64) ([]shop.Licence, error) {
	rows, err := s.DB.Query(ctx, query("licences"), orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shop.Licence
	for rows.Next() {
		var l shop.Licence
		var exp, rev, created int64
		if err := rows.Scan(&l.ID, &l.OrderID, &l.LicenceID, &l.Key, &l.Seats, &exp, &rev, &created); err != nil {
			return nil, translate(err)
		}
		l.ExpiresAt, l.RevokedAt, l.CreatedAt = millis(exp), millis(rev), millis(created)
		out = append(out, l)
	}
	return out, translate(rows.Err())
}

// RevokedLicences lists the ids of revoked licences, oldest revocation first.
func (s ShopStore) RevokedLicences(ctx context.Context) ([]string, error) {
	rows, err := s.DB.Query(ctx, query("revoked-licences"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		out = append(out, id)
	}
	return out, translate(rows.Err())
}

// Refunds returns an order's refunds, oldest first.
func (s ShopStore) Refunds(ctx context.Context, orderID int64) ([]shop.Refund, error) {
	return s.refunds(ctx, "refunds", orderID)
}

// PendingRefunds returns refunds pending since before t.
func (s ShopStore) PendingRefunds(ctx context.Context, t time.Time, limit int) ([]shop.Refund, error) {
	return s.refunds(ctx, "pending-refunds", toMillis(t), limit)
}

// refunds runs the named query of refunds.
func (s ShopStore) refunds(ctx context.Context, name string, args ...any) ([]shop.Refund, error) {
	rows, err := s.DB.Query(ctx, query(name), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shop.Refund
	for rows.Next() {
		var r shop.Refund
		var created, updated int64
		if err := rows.Scan(&r.ID, &r.OrderID, &r.Amount, &r.IdempotencyKey, &r.ProcessorID, &r.Status, &r.StaffID, &created, &updated); err != nil {
			return nil, translate(err)
		}
		r.CreatedAt, r.UpdatedAt = millis(created), millis(updated)
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// Unsettled returns orders whose attempt has been charging, unknown or awaiting
// action since before t, and open pending orders created before abandon.
func (s ShopStore) Unsettled(ctx context.Context, t, abandon time.Time, limit int) ([]shop.Order, error) {
	rows, err := s.DB.Query(ctx, query("unsettled"), toMillis(t), toMillis(abandon), limit)
	if err != nil {
		return nil, err
	}
	return collectOrders(rows)
}

// SalesReport sums paid orders per UTC day, product and currency in [from, to).
func (s ShopStore) SalesReport(ctx context.Context, from, to time.Time) ([]shop.SalesRow, error) {
	rows, err := s.DB.Query(ctx, query("sales-report"), toMillis(from), toMillis(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shop.SalesRow
	for rows.Next() {
		var r shop.SalesRow
		var day int64
		if err := rows.Scan(&day, &r.Product, &r.Currency, &r.Orders, &r.Units, &r.Gross, &r.Tax, &r.Refunded); err != nil {
			return nil, translate(err)
		}
		r.Day = time.UnixMilli(day * 86400000).UTC()
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// Funnel counts orders created, and orders paid, in [from, to).
func (s ShopStore) Funnel(ctx context.Context, from, to time.Time) (shop.Funnel, error) {
	var f shop.Funnel
	err := s.DB.QueryRow(ctx, query("funnel"),
		toMillis(from), toMillis(to), toMillis(from), toMillis(to), toMillis(from), toMillis(to), toMillis(from), toMillis(to)).Scan(&f.Started, &f.Paid)
	return f, err
}

// Queue puts one message into the mail outbox.
func (s ShopStore) Queue(ctx context.Context, q mail.Queued) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		_, err := InsertOutbox(ctx, tx, q)
		return err
	})
}

func nullIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
