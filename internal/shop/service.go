package shop

import (
	"context"
	"log/slog"
	"time"

	"github.com/candor-dev/candor/internal/payment"
)

// Sealer seals personal fields and computes blind indexes and link signatures
// (pii.Sealer).
type Sealer interface {
	SealString(context, plaintext string) (string, error)
	OpenString(context, sealed string) (string, error)
	Index(purpose, value string) string
}

// Auditor appends to the audit log.
type Auditor interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}

// Notifier wakes the mail worker after something was queued.
type Notifier interface{ Notify() }

// Signer signs a licence key (the public licence package with the installation's key).
type Signer interface {
	SignLicence(l LicenceFacts) (string, error)
}

// LicenceFacts is what a licence key says: no personal data.
type LicenceFacts struct {
	ID       string
	Product  string // product slug
	Edition  string // edition slug
	Seats    int
	Issued   time.Time
	Expires  time.Time // zero: perpetual
	TestMode bool      // a key sold in test mode (its ID says so)
}

// Sealing contexts and blind-index purposes of shop fields.
const (
	SealEmail  = "shop.email"
	SealName   = "shop.name"
	indexEmail = "shop.email"
)

// Options configure the service.
type Options struct {
	Mode             string         // test, hosted or pass-through (payment modes)
	PublicURL        string         // base of links in mail and redirects, no trailing slash
	MailDomain       string         // the sender's domain, for Message-IDs
	Seller           string         // the vendor's name and postal address, for invoices
	TaxRates         map[string]int // country → basis points; an alias code (UK) is read as its country's (GB), see CountryRates
	PricesIncludeTax bool
	DownloadTTL      time.Duration // default 24 h
	OrderLinkTTL     time.Duration // default 30 days
	CouponHold       time.Duration // how long an unpaid order holds a use of a limited coupon; default DefaultCouponHold
	Log              *slog.Logger
}

// Service is the shop domain.
type Service struct {
	store  Store
	proc   payment.Processor
	sealer Sealer
	signer Signer
	audit  Auditor
	notify Notifier
	opts   Options
	now    func() time.Time
	cache  catalogueCache
}

// New returns the shop. notify may be nil.
func New(store Store, proc payment.Processor, sealer Sealer, signer Signer, audit Auditor, notify Notifier, o Options) *Service {
	if o.DownloadTTL <= 0 {
		o.DownloadTTL = 24 * time.Hour
	}
	if o.CouponHold <= 0 {
		o.CouponHold = DefaultCouponHold
	}
	if o.OrderLinkTTL <= 0 {
		o.OrderLinkTTL = 30 * 24 * time.Hour
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	// Orders store a buyer's country as its assigned code: a rate given under an alias
	// (UK) is GB's. `serve` refuses bad codes at start (CountryRates); another caller's
	// are logged, and such a rate is never charged.
	if rates, err := CountryRates(o.TaxRates); err != nil {
		o.Log.Warn("shop: tax rates", "err", err)
	} else {
		o.TaxRates = rates
	}
	return &Service{store: store, proc: proc, sealer: sealer, signer: signer, audit: audit, notify: notify, opts: o, now: time.Now}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// TestMode reports whether payments go to the built-in test processor.
func (s *Service) TestMode() bool { return s.opts.Mode == ModeTest }

// Mode is the payment mode: ModeTest, ModeHosted or ModePassThrough.
func (s *Service) Mode() string { return s.opts.Mode }

// PricesIncludeTax reports whether catalogue prices include tax.
func (s *Service) PricesIncludeTax() bool { return s.opts.PricesIncludeTax }

// The payment modes (the --payment setting).
const (
	ModeTest        = "test"
	ModeHosted      = "hosted"
	ModePassThrough = "pass-through"
)

func (s *Service) wake() {
	if s.notify != nil {
		s.notify.Notify()
	}
}
