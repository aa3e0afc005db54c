package shop

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/mail"
)

// Store is everything the shop Service needs from storage: New takes one value for
// all of its roles, which sqldb.ShopStore fills. Each role is its own interface so
// that a reader sees which part of the service uses what. Not-found is errs.NotFound.
type Store interface {
	CatalogueStore
	CouponStore
	OrderStore
	SettlementStore
	ReportStore
	MailQueue
}

// CatalogueStore keeps products, their editions with prices, and their downloads
// (catalogue.go, catalogue_cache.go).
type CatalogueStore interface {
	Products(ctx context.Context) ([]Product, error)   // every product, with editions, prices and downloads
	SaveProduct(ctx context.Context, p *Product) error // insert (ID 0) or update; sets ID
	SaveEdition(ctx context.Context, e *Edition) error // insert or update, replacing its prices; sets ID
	AddDownload(ctx context.Context, d *Download) error
	DeleteDownload(ctx context.Context, productID, id int64) error
}

// CouponStore keeps discount codes (pricing.go; checkout.go reads one by code).
type CouponStore interface {
	SaveCoupon(ctx context.Context, c *Coupon) error
	Coupons(ctx context.Context) ([]Coupon, error)
	CouponByCode(ctx context.Context, code string) (Coupon, error)
	// EndCoupon sets a coupon's expiry to at unless it already expired (NotFound then).
	EndCoupon(ctx context.Context, id int64, at time.Time) error
}

// OrderStore creates, reads and changes orders with their licences and refunds
// (checkout.go, pay.go, settle.go, refund.go, customer.go, admin.go).
type OrderStore interface {
	// CreateOrder inserts the order and, when it carries a coupon, reserves one use of
	// it in the same transaction (errs.Conflict when the coupon is used up).
	CreateOrder(ctx context.Context, o *Order) error
	Order(ctx context.Context, k OrderKey) (Order, error)
	Orders(ctx context.Context, f OrderFilter) ([]Order, int, error)
	Licences(ctx context.Context, orderID int64) ([]Licence, error)
	// RevokedLicences lists the ids of every revoked licence, oldest revocation first.
	RevokedLicences(ctx context.Context) ([]string, error)
	Refunds(ctx context.Context, orderID int64) ([]Refund, error)
	// Update locks the order, calls fn and writes the order back, all in one
	// transaction; with eventID set it first records the webhook event and returns
	// ErrDuplicateEvent, changing nothing, when it was recorded before. fn's error
	// rolls everything back.
	Update(ctx context.Context, k OrderKey, eventID, eventType string, fn func(o *Order, tx OrderTx) error) error
}

// SettlementStore finds the payments and refunds the reconciler must settle with the
// processor (reconcile.go).
type SettlementStore interface {
	// Unsettled returns orders whose attempt has been charging, unknown or awaiting
	// action since before t, and pending orders created before abandon.
	Unsettled(ctx context.Context, t, abandon time.Time, limit int) ([]Order, error)
	// CouponHolds returns pending orders with no payment in flight that hold a use of
	// a coupon with a usage cap, created before t.
	CouponHolds(ctx context.Context, t time.Time, limit int) ([]Order, error)
	// PendingRefunds returns refunds still pending since before t.
	PendingRefunds(ctx context.Context, t time.Time, limit int) ([]Refund, error)
}

// ReportStore answers the aggregate reports: no personal data (admin.go).
type ReportStore interface {
	SalesReport(ctx context.Context, from, to time.Time) ([]SalesRow, error)
	// Funnel counts orders created, and orders paid, in [from, to).
	Funnel(ctx context.Context, from, to time.Time) (Funnel, error)
}

// MailQueue puts one message into the mail outbox: outside an order's transaction
// (Store) or inside it (OrderTx).
type MailQueue interface {
	Queue(ctx context.Context, q mail.Queued) error
}

// OrderTx is what fn may do inside OrderStore.Update's transaction: number the
// invoice, issue or revoke licences, record refunds, count coupon uses and queue mail,
// all committed with the order or not at all.
type OrderTx interface {
	NextInvoiceNumber(ctx context.Context) (int64, error)
	LicenceWriter
	RefundWriter
	CouponUses
	MailQueue
}

// LicenceWriter issues and revokes an order's licences (within OrderTx).
type LicenceWriter interface {
	AddLicence(ctx context.Context, l *Licence) error
	RevokeLicences(ctx context.Context, orderID int64, licenceID string, at time.Time) (int64, error) // licenceID "" for all
}

// RefundWriter records refunds and their outcome (within OrderTx).
type RefundWriter interface {
	AddRefund(ctx context.Context, r *Refund) error
	SetRefund(ctx context.Context, id int64, status RefundStatus, processorID string, at time.Time) error
}

// CouponUses gives back or counts again a coupon use when an order is given up or
// paid after all (within OrderTx).
type CouponUses interface {
	ReleaseCoupon(ctx context.Context, couponID int64) error
	RetakeCoupon(ctx context.Context, couponID int64) error // a use counted again, beyond the cap if need be
}
