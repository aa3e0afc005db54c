package shop

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Coupon takes a percentage or a fixed amount off an order's subtotal.
type Coupon struct {
	ID         int64
	Code       string // upper case, A-Z 0-9 - _
	PercentOff int    // 1–100, or 0 for a fixed amount
	AmountOff  int64  // minor units of Currency, when PercentOff is 0
	Currency   string
	ExpiresAt  time.Time // zero: never
	MaxUses    int       // 0: unlimited
	Used       int       // reserved by open and paid orders
	CreatedAt  time.Time
}

var couponRE = regexp.MustCompile(`^[A-Z0-9_-]{2,40}$`)

// NormalizeCoupon upper-cases and trims a typed coupon code.
func NormalizeCoupon(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// Validate checks a coupon's fields.
func (c *Coupon) Validate() error {
	c.Code = NormalizeCoupon(c.Code)
	switch {
	case !couponRE.MatchString(c.Code):
		return errs.InvalidField("code", "A coupon code is 2–40 letters, digits, dashes or underscores.")
	case (c.PercentOff == 0) == (c.AmountOff == 0):
		return errs.InvalidField("percent_off", "Give a percentage or a fixed amount off, not both.")
	case c.PercentOff < 0 || c.PercentOff > 100:
		return errs.InvalidField("percent_off", "A percentage is between 1 and 100.")
	case c.AmountOff < 0 || c.AmountOff > MaxPrice:
		return errs.InvalidField("amount_off", "That amount is out of range.")
	case c.AmountOff > 0 && !currencyRE.MatchString(c.Currency):
		return errs.InvalidField("currency", "A fixed amount needs its currency, e.g. EUR.")
	case c.MaxUses < 0:
		return errs.InvalidField("max_uses", "The usage cap is 0 (unlimited) or more.")
	}
	return nil
}

// usable reports why a coupon cannot be used for currency at now, or nil.
func (c Coupon) usable(currency string, now time.Time) error {
	switch {
	case !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt):
		return errs.InvalidField("coupon", "This coupon has expired.")
	case c.MaxUses > 0 && c.Used >= c.MaxUses:
		return errs.InvalidField("coupon", "This coupon has been used up.")
	case c.AmountOff > 0 && c.Currency != currency:
		return errs.InvalidField("coupon", "This coupon is not valid in this currency.")
	}
	return nil
}

// SaveCoupon creates a coupon; audited.
func (s *Service) SaveCoupon(ctx context.Context, actor staff.Principal, c *Coupon) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	c.CreatedAt = s.now().UTC()
	if err := s.store.SaveCoupon(ctx, c); err != nil {
		return err
	}
	return s.audit.Record(ctx, actor.Name, "shop.coupon.save", "coupon:"+c.Code)
}

// EndCoupon makes a coupon expire now (a leaked or finished offer); its history and
// the orders that used it stay. Audited.
func (s *Service) EndCoupon(ctx context.Context, actor staff.Principal, id int64) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	if err := s.store.EndCoupon(ctx, id, s.now().UTC()); err != nil {
		return err
	}
	return s.audit.Record(ctx, actor.Name, "shop.coupon.end", "coupon_id:"+itoa(id))
}

// Coupons lists the coupons (staff).
func (s *Service) Coupons(ctx context.Context, actor staff.Principal) ([]Coupon, error) {
	if err := actor.Require(staff.ManageShop); err != nil {
		return nil, err
	}
	return s.store.Coupons(ctx)
}

// Quote is the price of an order: what the checkout page shows and the order keeps.
type Quote struct {
	Currency     string
	Unit         int64 // the catalogue price of one unit
	Quantity     int
	Subtotal     int64 // Unit × Quantity
	Discount     int64 // the coupon's part
	Tax          int64 // included in Total either way
	TaxRate      int   // basis points (1900 = 19 %)
	TaxInclusive bool  // prices include tax: Tax is the part of Total that is tax
	Total        int64 // what the card is charged
	Coupon       *Coupon
}

// Net is the total without tax.
func (q Quote) Net() int64 { return q.Total - q.Tax }

// price computes a quote. Rounding is half up on minor units.
func price(unit int64, qty int, c *Coupon, rateBP int, inclusive bool, currency string) Quote {
	q := Quote{Currency: currency, Unit: unit, Quantity: qty, Subtotal: unit * int64(qty), TaxRate: rateBP, TaxInclusive: inclusive, Coupon: c}
	if c != nil {
		if c.PercentOff > 0 {
			q.Discount = divRound(q.Subtotal*int64(c.PercentOff), 100)
		} else {
			q.Discount = min(c.AmountOff, q.Subtotal)
		}
	}
	after := q.Subtotal - q.Discount
	if inclusive {
		q.Total = after
		q.Tax = after - divRound(after*10000, int64(10000+rateBP))
	} else {
		q.Tax = divRound(after*int64(rateBP), 10000)
		q.Total = after + q.Tax
	}
	return q
}

// divRound divides non-negative a by positive b, rounding half up.
func divRound(a, b int64) int64 { return (2*a + b) / (2 * b) }
