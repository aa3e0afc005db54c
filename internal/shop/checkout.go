package shop

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/textfield"
)

// CheckoutInput is what the checkout form asks for.
type CheckoutInput struct {
	Product  string // product slug
	Edition  string // edition slug
	Currency string
	Quantity int // units; each brings the edition's seats
	Coupon   string
	Name     string
	Email    string
	Country  string // ISO 3166-1 alpha-2
}

// MaxQuantity caps the units of one order.
const MaxQuantity = 1000

// Quote prices a checkout without creating anything: the live total of the checkout
// page. Only the product, edition, currency, quantity, coupon and country are used.
func (s *Service) Quote(ctx context.Context, in CheckoutInput) (Quote, Product, Edition, error) {
	p, err := s.Product(ctx, in.Product)
	if err != nil {
		return Quote{}, p, Edition{}, err
	}
	e, ok := p.Edition(in.Edition)
	if !ok {
		return Quote{}, p, e, errs.E(errs.NotFound, "No such edition.")
	}
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if in.Currency == "" {
		in.Currency = e.Currencies()[0]
	}
	unit, ok := e.Prices[in.Currency]
	if !ok {
		return Quote{}, p, e, errs.InvalidField("currency", "This edition is not sold in that currency.")
	}
	if in.Quantity < 1 || in.Quantity > MaxQuantity {
		return Quote{}, p, e, errs.InvalidField("quantity", "Choose a quantity between 1 and 1000.")
	}
	country, err := NormalizeCountry(in.Country)
	if err != nil {
		return Quote{}, p, e, err
	}
	var coupon *Coupon
	if code := NormalizeCoupon(in.Coupon); code != "" {
		c, err := s.store.CouponByCode(ctx, code)
		if errs.CodeOf(err) == errs.NotFound {
			return Quote{}, p, e, errs.InvalidField("coupon", "We do not know this coupon code.")
		} else if err != nil {
			return Quote{}, p, e, err
		}
		if err := c.usable(in.Currency, s.now()); err != nil {
			return Quote{}, p, e, err
		}
		coupon = &c
	}
	q := price(unit, in.Quantity, coupon, s.opts.TaxRates[country], s.opts.PricesIncludeTax, in.Currency)
	if q.Total < 1 {
		// The card company charges nothing of zero: an order with nothing to pay could
		// never be paid, so none is made (and no coupon use is taken).
		if coupon != nil {
			return Quote{}, p, e, errs.InvalidField("coupon", "This coupon leaves nothing to pay, which the shop cannot take as an order.")
		}
		return Quote{}, p, e, errs.InvalidField("quantity", "This edition has no price to pay, which the shop cannot take as an order.")
	}
	return q, p, e, nil
}

// StartCheckout validates the checkout form and creates a pending order, reserving a
// use of its coupon. The order is then paid with PayCard or StartHosted.
func (s *Service) StartCheckout(ctx context.Context, in CheckoutInput) (Order, error) {
	name, err := textfield.Line("name", in.Name, 200, false)
	if err != nil {
		return Order{}, err
	}
	email, err := pii.NewEmail(in.Email)
	if err != nil {
		return Order{}, err
	}
	q, p, e, err := s.Quote(ctx, in)
	if err != nil {
		return Order{}, err
	}
	country, _ := NormalizeCountry(in.Country)
	now := s.now().UTC()
	o := Order{
		Ref: newRef(), Status: Pending, Mode: s.opts.Mode, Country: country,
		EmailIndex: s.sealer.Index(indexEmail, email.Reveal()),
		ProductID:  p.ID, EditionID: e.ID, ProductSlug: p.Slug, EditionSlug: e.Slug,
		ProductName: p.Name, EditionName: e.Name, Seats: q.Quantity * e.Seats, TermDays: e.TermDays,
		Quantity: q.Quantity, Currency: q.Currency, UnitAmount: q.Unit, Subtotal: q.Subtotal,
		Discount: q.Discount, Tax: q.Tax, TaxRate: q.TaxRate, TaxInclusive: q.TaxInclusive, Total: q.Total,
		AttemptState: AttemptOpen, CreatedAt: now, UpdatedAt: now,
	}
	if q.Coupon != nil {
		o.CouponID, o.CouponCode = q.Coupon.ID, q.Coupon.Code
	}
	if o.EmailSealed, err = s.sealer.SealString(SealEmail, email.Reveal()); err != nil {
		return Order{}, err
	}
	if o.NameSealed, err = s.sealer.SealString(SealName, name); err != nil {
		return Order{}, err
	}
	if err := s.store.CreateOrder(ctx, &o); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			return Order{}, errs.InvalidField("coupon", "This coupon has been used up.")
		}
		return Order{}, err
	}
	return o, nil
}

// Order returns an order by its reference, for the checkout pages. It holds sealed
// fields only.
func (s *Service) Order(ctx context.Context, ref string) (Order, error) {
	if !validRef(ref) {
		return Order{}, errs.E(errs.NotFound, "No such order.")
	}
	return s.store.Order(ctx, OrderKey{Ref: ref})
}

var refEncoding = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// newRef returns a random order reference: "ord_" and 26 characters (128 bits).
func newRef() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "ord_" + refEncoding.EncodeToString(b[:])
}

// validRef reports whether s has the shape of an order reference.
func validRef(s string) bool {
	if len(s) != 30 || !strings.HasPrefix(s, "ord_") {
		return false
	}
	_, err := refEncoding.DecodeString(s[4:])
	return err == nil
}
