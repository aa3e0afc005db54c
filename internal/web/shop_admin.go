package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// shopAdmin is the shop's staff side: catalogue, coupons, orders, refunds and the sales
// report.
type shopAdmin struct {
	*pages
	shop *shop.Service
}

// The staff pages of the shop (permission shop.manage: the shop role, admins, owners;
// checked again by the domain, which also audits every change and every view of an
// order). Everything works without JavaScript: each change is one small form that
// posts, then redirects back with a fixed notice (?done=); a refused form shows the
// page again with what was typed and the message next to its field.

// errNoShop answers every shop page when the server runs without a shop.
var errNoShop = errs.E(errs.NotFound, "The shop is not set up on this server.")

// shopFlashes are the fixed notices of the shop pages (?done=).
var shopFlashes = map[string]string{
	"shop-product-created": "The product was created. Add an edition with its prices to sell it.",
	"shop-product-saved":   "The product was saved.",
	"shop-edition-saved":   "The edition and its prices were saved.",
	"shop-download-added":  "The download was added.",
	"shop-download-gone":   "The download was removed.",
	"shop-coupon-created":  "The coupon was created.",
	"shop-coupon-ended":    "The coupon has expired; orders that used it keep it.",
	"shop-refunded":        "The refund was sent to the card company.",
	"shop-receipt-queued":  "The receipt is on its way to the buyer again.",
	"shop-licence-revoked": "The licence was revoked.",
}

func shopFlash(r *http.Request) string {
	if f := shopFlashes[r.URL.Query().Get("done")]; f != "" {
		return f
	}
	return flash(r)
}

// formErrors places a refused form's error: next to its field when the form has that
// field, else at the top of the form (key "").
func formErrors(err error, fields ...string) map[string]string {
	var e *errs.Error
	field := ""
	if errors.As(err, &e) && slices.Contains(fields, e.Field) {
		field = e.Field
	}
	return map[string]string{field: errs.PublicOf(err)}
}

// refused reports whether err is a refusal to show on the form (invalid input or a
// conflict with the record's state) rather than a failure of the page.
func refused(err error) bool {
	st := status(err)
	return st == http.StatusBadRequest || st == http.StatusConflict || st == http.StatusServiceUnavailable
}

// decimal prints minor units as a form value: "12.34" (no currency code).
func decimal(amount int64, currency string) string {
	return strings.TrimPrefix(shop.FormatMoney(amount, currency), currency+" ")
}

// formInt reads a whole number typed into a form; empty is def.
func formInt(v string, def int, field, msg string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errs.InvalidField(field, msg)
	}
	return n, nil
}

// currencyCode reads a typed currency code.
func currencyCode(v string) string { return strings.ToUpper(strings.TrimSpace(v)) }

// shopURL builds a shop admin address with a query ("key", "value", …; empty values left out).
func shopURL(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

func productURL(id int64) string { return "/admin/shop/products/" + strconv.FormatInt(id, 10) }

func orderURL(id int64) string { return "/admin/shop/orders/" + strconv.FormatInt(id, 10) }

// pageLinks is the paging bar of a list showing shown rows of page (1-based, size
// rows a page) out of total; at is the address of a page. Any list can use it.
func pageLinks(total, page, shown, size int, at func(page int) string) pager {
	pg := pager{Total: total, Page: page, Pages: max(1, (total+size-1)/size)}
	if shown > 0 {
		pg.From = (page-1)*size + 1
		pg.To = pg.From + shown - 1
	}
	if page > 1 {
		pg.Prev = at(min(page-1, pg.Pages))
	}
	if page*size < total {
		pg.Next = at(page + 1)
	}
	return pg
}
