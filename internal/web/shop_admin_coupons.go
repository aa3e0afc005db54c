package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// Coupons: the list, with how often each was used, and the form that creates one.

// couponRow is one coupon of the list.
type couponRow struct {
	shop.Coupon
	Off     string // "20 %" or "EUR 5.00"
	Expires string // "valid through 2026-12-31", "expired 2026-01-31" or ""
	Expired bool
	UsedUp  bool
}

// couponForm is the create form as typed.
type couponForm struct {
	Code, PercentOff, AmountOff, Currency, Expires, MaxUses string
	Err                                                     map[string]string
}

var couponFields = []string{"code", "percent_off", "amount_off", "currency", "expires", "max_uses"}

type shopCouponsData struct {
	Coupons []couponRow
	Form    couponForm
}

// shopCoupons lists the coupons.
func (s *shopAdmin) shopCoupons(w http.ResponseWriter, r *http.Request) {
	s.renderCoupons(w, r, http.StatusOK, couponForm{})
}

func (s *shopAdmin) renderCoupons(w http.ResponseWriter, r *http.Request, st int, f couponForm) {
	cs, err := s.shop.Coupons(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	d := shopCouponsData{Form: f}
	for _, c := range cs {
		row := couponRow{Coupon: c, Off: strconv.Itoa(c.PercentOff) + " %", UsedUp: c.MaxUses > 0 && c.Used >= c.MaxUses}
		if c.PercentOff == 0 {
			row.Off = shop.FormatMoney(c.AmountOff, c.Currency)
		}
		if !c.ExpiresAt.IsZero() {
			last := c.ExpiresAt.Add(-time.Nanosecond).UTC().Format(time.DateOnly)
			row.Expired = !now.Before(c.ExpiresAt)
			row.Expires = "valid through " + last
			if row.Expired {
				row.Expires = "expired after " + last
			}
		}
		d.Coupons = append(d.Coupons, row)
	}
	s.render(w, r, st, "shop_admin_coupons", page{Title: "Coupons", Nav: "shop", Flash: shopFlash(r), Data: d})
}

// readCoupon reads the posted coupon form. The expiry is a date: the coupon works
// through the end of that day (UTC).
func readCoupon(r *http.Request) (couponForm, shop.Coupon, error) {
	f := couponForm{Code: r.PostFormValue("code"), PercentOff: r.PostFormValue("percent_off"), AmountOff: strings.TrimSpace(r.PostFormValue("amount_off")),
		Currency: currencyCode(r.PostFormValue("currency")), Expires: strings.TrimSpace(r.PostFormValue("expires")), MaxUses: r.PostFormValue("max_uses")}
	c := shop.Coupon{Code: f.Code, Currency: f.Currency}
	var err error
	if c.PercentOff, err = formInt(f.PercentOff, 0, "percent_off", "A percentage is a whole number between 1 and 100."); err != nil {
		return f, c, err
	}
	if c.MaxUses, err = formInt(f.MaxUses, 0, "max_uses", "The usage cap is a whole number (0: unlimited)."); err != nil {
		return f, c, err
	}
	if f.AmountOff != "" {
		a, ok := shop.ParseMoney(f.AmountOff, f.Currency)
		if !ok {
			return f, c, errs.InvalidField("amount_off", "Type an amount such as 5.00.")
		}
		c.AmountOff = a
	} else {
		c.Currency = ""
	}
	if f.Expires != "" {
		day, err := time.Parse(time.DateOnly, f.Expires)
		if err != nil {
			return f, c, errs.InvalidField("expires", "Choose a date, or leave it empty for a coupon that never expires.")
		}
		c.ExpiresAt = day.AddDate(0, 0, 1)
	}
	return f, c, nil
}

// shopCouponCreate creates a coupon.
func (s *shopAdmin) shopCouponCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f, c, err := readCoupon(r)
	if err == nil {
		err = s.shop.SaveCoupon(r.Context(), principal(r), &c)
	}
	if err != nil {
		if !refused(err) {
			s.fail(w, r, err)
			return
		}
		f.Err = formErrors(err, couponFields...)
		s.renderCoupons(w, r, status(err), f)
		return
	}
	redirectDone(w, r, "/admin/shop/coupons", "shop-coupon-created", "")
}

// shopCouponEnd is POST /admin/shop/coupons/{id}/end: the coupon expires now.
func (s *shopAdmin) shopCouponEnd(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathIDOr404(w, r, "coupon")
	if !ok {
		return
	}
	if err := s.shop.EndCoupon(r.Context(), principal(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/shop/coupons?done=shop-coupon-ended", http.StatusSeeOther)
}
