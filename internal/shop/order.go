package shop

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/mail"
)

// Status is where an order is in its life.
type Status string

// The statuses of an order.
const (
	Pending   Status = "pending"   // created at checkout; not paid
	Paid      Status = "paid"      // the card company took the money (fulfilment runs in the same transaction)
	Fulfilled Status = "fulfilled" // licence issued and receipt queued
	Failed    Status = "failed"    // abandoned or expired unpaid
	Refunded  Status = "refunded"  // fully refunded
	Disputed  Status = "disputed"  // the buyer disputed the charge with their bank
)

// moves lists the only transitions; everything else is refused, so a late or repeated
// event can never move an order back.
var moves = map[Status][]Status{
	Pending:   {Paid, Failed},
	Failed:    {Paid}, // a payment that succeeded after the order was given up on
	Paid:      {Fulfilled, Refunded, Disputed},
	Fulfilled: {Refunded, Disputed},
	Refunded:  {Disputed},
}

// CanMove reports whether an order may go from one status to another.
func CanMove(from, to Status) bool { return slices.Contains(moves[from], to) }

// Attempt is the state of the current payment attempt of a pending order.
type Attempt string

// The attempt states.
const (
	AttemptOpen     Attempt = "open"     // no payment under way: the customer may pay
	AttemptCharging Attempt = "charging" // claimed by one submit; the processor is being asked
	AttemptAction   Attempt = "action"   // the customer must authenticate (3-D Secure) or pay on the hosted page
	AttemptUnknown  Attempt = "unknown"  // the processor did not answer: retried with the same key
	AttemptDone     Attempt = "done"     // paid
)

// Order is an order as stored: the buyer's name and email sealed.
type Order struct {
	ID           int64
	Ref          string // random public reference
	Status       Status
	Mode         string // the payment mode it was placed in
	EmailIndex   string
	EmailSealed  string
	NameSealed   string
	Country      string
	ProductID    int64
	EditionID    int64
	ProductSlug  string
	EditionSlug  string
	ProductName  string
	EditionName  string
	Seats        int // quantity × the edition's seats
	TermDays     int // 0: perpetual
	Quantity     int
	Currency     string
	UnitAmount   int64
	Subtotal     int64
	Discount     int64
	Tax          int64
	TaxRate      int
	TaxInclusive bool
	Total        int64
	CouponID     int64
	CouponCode   string
	Refunded     int64 // refunded so far
	RefundHeld   int64 // refunds asked of the processor and not yet settled
	Attempt      int
	AttemptState Attempt
	AttemptAt    time.Time
	LastError    string // the processor's code of the last failure; never card data
	MethodID     string
	PaymentID    string
	SessionID    string
	CardBrand    string
	CardLast4    string
	CardExpMonth int
	CardExpYear  int
	InvoiceNo    int64 // 0 until paid
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PaidAt       time.Time
}

// TestMode reports whether the order was paid (or is to be paid) in test mode.
func (o Order) TestMode() bool { return o.Mode == ModeTest }

// IdempotencyKey is the key of the current attempt, the same on every retry of it.
func (o Order) IdempotencyKey() string { return o.Ref + "/" + strconv.Itoa(o.Attempt) }

// Refundable is what may still be refunded.
func (o Order) Refundable() int64 { return o.Total - o.Refunded - o.RefundHeld }

// OrderKey finds an order by the first of its fields that is set.
type OrderKey struct {
	ID        int64
	Ref       string
	PaymentID string
	SessionID string
}

// Licence is an issued licence key.
type Licence struct {
	ID        int64
	OrderID   int64
	LicenceID string
	Key       string
	Seats     int
	ExpiresAt time.Time // zero: perpetual
	RevokedAt time.Time // zero: valid
	CreatedAt time.Time
}

// RefundStatus is the state of a refund at the processor.
type RefundStatus string

// The refund statuses.
const (
	RefundPending   RefundStatus = "pending"
	RefundSucceeded RefundStatus = "succeeded"
	RefundFailed    RefundStatus = "failed"
)

// Refund is one refund of an order.
type Refund struct {
	ID             int64
	OrderID        int64
	Amount         int64
	IdempotencyKey string
	ProcessorID    string
	Status         RefundStatus
	StaffID        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// OrderFilter selects orders for the staff list.
type OrderFilter struct {
	Status     Status // "" for all
	EmailIndex string // "" for any buyer
	Ref        string // exact reference
	Limit      int
	Offset     int
}

// SalesRow is one line of the aggregate sales report: no personal data.
type SalesRow struct {
	Day      time.Time
	Product  string
	Currency string
	Orders   int
	Units    int
	Gross    int64 // totals charged, tax included
	Tax      int64
	Refunded int64
}

// ErrDuplicateEvent is returned by Store.Update when the webhook event was already
// handled.
var ErrDuplicateEvent = errors.New("shop: webhook event already handled")

// Store is what the shop needs from storage. Not-found is errs.NotFound.
type Store interface {
	Products(ctx context.Context) ([]Product, error) // every product, with editions, prices and downloads
	ProductBySlug(ctx context.Context, slug string) (Product, error)
	SaveProduct(ctx context.Context, p *Product) error // insert (ID 0) or update; sets ID
	SaveEdition(ctx context.Context, e *Edition) error // insert or update, replacing its prices; sets ID
	AddDownload(ctx context.Context, d *Download) error
	DeleteDownload(ctx context.Context, productID, id int64) error
	SaveCoupon(ctx context.Context, c *Coupon) error
	Coupons(ctx context.Context) ([]Coupon, error)
	CouponByCode(ctx context.Context, code string) (Coupon, error)
	// EndCoupon sets a coupon's expiry to at unless it already expired (NotFound then).
	EndCoupon(ctx context.Context, id int64, at time.Time) error

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
	// Unsettled returns orders whose attempt has been charging, unknown or awaiting
	// action since before t, and pending orders created before abandon.
	Unsettled(ctx context.Context, t, abandon time.Time, limit int) ([]Order, error)
	// CouponHolds returns pending orders with no payment in flight that hold a use of
	// a coupon with a usage cap, created before t.
	CouponHolds(ctx context.Context, t time.Time, limit int) ([]Order, error)
	// PendingRefunds returns refunds still pending since before t.
	PendingRefunds(ctx context.Context, t time.Time, limit int) ([]Refund, error)
	SalesReport(ctx context.Context, from, to time.Time) ([]SalesRow, error)
	// Funnel counts orders created, and orders paid, in [from, to).
	Funnel(ctx context.Context, from, to time.Time) (Funnel, error)
	// Queue puts one message into the mail outbox.
	Queue(ctx context.Context, q mail.Queued) error
}

// OrderTx is what fn may do inside Store.Update's transaction.
type OrderTx interface {
	NextInvoiceNumber(ctx context.Context) (int64, error)
	AddLicence(ctx context.Context, l *Licence) error
	RevokeLicences(ctx context.Context, orderID int64, licenceID string, at time.Time) (int64, error) // licenceID "" for all
	AddRefund(ctx context.Context, r *Refund) error
	SetRefund(ctx context.Context, id int64, status RefundStatus, processorID string, at time.Time) error
	Queue(ctx context.Context, q mail.Queued) error
	ReleaseCoupon(ctx context.Context, couponID int64) error
	RetakeCoupon(ctx context.Context, couponID int64) error // a use counted again, beyond the cap if need be
}
