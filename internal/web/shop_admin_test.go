package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// wantIn fails unless body contains every one of want.
func wantIn(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not show %q:\n%.4000s", what, w, body)
		}
	}
}

// wantNotIn fails if body contains any of unwanted.
func wantNotIn(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s shows %q, which it must not", what, u)
		}
	}
}

// A shop member builds the catalogue from the pages: a product, an edition with
// prices in two currencies, a download and a coupon. Refused forms keep what was
// typed and name the field at fault.
func TestShopAdminCatalogue(t *testing.T) {
	e := newEnv(t)
	e.shopAdminService()
	c, _ := e.signedIn("clerk@example.com", staff.ShopRole)

	r := c.get("/admin/shop")
	want(t, r, http.StatusOK)
	wantIn(t, "the empty product list", r.body, "No products yet", `href="/admin/shop/products/new"`, `href="/admin/shop"`)

	r = c.post("/admin/shop/products/new", url.Values{"name": {"Northwind Pro"}, "slug": {"Northwind Pro"}, "version": {"4.2"}})
	want(t, r, http.StatusBadRequest)
	wantIn(t, "a refused product", r.body, `value="Northwind Pro"`, `value="4.2"`, "A slug is 1–63 lower-case letters", `name="slug" required maxlength="63" pattern="[a-z0-9][a-z0-9\-]*" spellcheck="false" autocomplete="off" value="Northwind Pro" aria-invalid="true"`)

	r = c.post("/admin/shop/products/new", url.Values{"name": {"Northwind Pro"}, "slug": {"northwind-pro"}, "version": {"4.2"}, "platforms": {"Windows, macOS"}, "active": {"on"}})
	wantRedirect(t, r, "/admin/shop/products/1?done=shop-product-created")
	product := "/admin/shop/products/1"

	r = c.post(product+"/editions", url.Values{"edition_name": {"Standard"}, "edition_slug": {"standard"}, "seats": {"1"}, "term_days": {"0"},
		"currency": {"eur", "USD", ""}, "amount": {"49", "59.00", ""}})
	wantRedirect(t, r, product+"?done=shop-edition-saved")

	r = c.post(product+"/editions", url.Values{"edition_name": {"Team"}, "edition_slug": {"team"}, "seats": {"5"}, "term_days": {"365"},
		"currency": {"EUR"}, "amount": {"4x.00"}})
	want(t, r, http.StatusBadRequest)
	wantIn(t, "a refused edition", r.body, `value="Team"`, `value="4x.00"`, `value="365"`, "Type a currency code and a price", `class="prices" aria-invalid="true"`)

	r = c.post(product+"/downloads", url.Values{"download_name": {"Installer"}, "location": {"/etc/passwd"}})
	want(t, r, http.StatusBadRequest)
	wantIn(t, "a refused download", r.body, `value="/etc/passwd"`, "A file is a relative path inside the downloads directory.")
	r = c.post(product+"/downloads", url.Values{"download_name": {"Installer for Windows"}, "location": {"northwind/setup-4.2.exe"}})
	wantRedirect(t, r, product+"?done=shop-download-added")

	r = c.get(product)
	want(t, r, http.StatusOK)
	wantIn(t, "the product page", r.body, "Northwind Pro", `value="49.00"`, `value="59.00"`, `value="USD"`, "Installer for Windows", "downloads/northwind/setup-4.2.exe", "Add an edition")

	r = c.get("/admin/shop")
	wantIn(t, "the product list", r.body, "Northwind Pro", "Standard: EUR 49.00 · USD 59.00", "Active")

	r = c.post("/admin/shop/coupons", url.Values{"code": {"both"}, "percent_off": {"10"}, "currency": {"EUR"}, "amount_off": {"5"}})
	want(t, r, http.StatusBadRequest)
	wantIn(t, "a refused coupon", r.body, `value="both"`, "Give a percentage or a fixed amount off, not both.", `name="percent_off" type="number" min="1" max="100" step="1" inputmode="numeric" value="10" aria-invalid="true"`)
	r = c.post("/admin/shop/coupons", url.Values{"code": {"spring20"}, "percent_off": {"20"}, "expires": {"2099-05-31"}, "max_uses": {"100"}})
	wantRedirect(t, r, "/admin/shop/coupons?done=shop-coupon-created")
	r = c.post("/admin/shop/coupons", url.Values{"code": {"FIVE"}, "currency": {"eur"}, "amount_off": {"5"}})
	wantRedirect(t, r, "/admin/shop/coupons?done=shop-coupon-created")
	r = c.get("/admin/shop/coupons")
	wantIn(t, "the coupon list", r.body, "SPRING20", "20 %", "valid through 2099-05-31", "0 of 100", "FIVE", "EUR 5.00")

	log := e.auditLog()
	wantIn(t, "the audit log", log, "shop.product.save product:northwind-pro", "shop.edition.save edition:standard", "shop.download.add", "shop.coupon.save coupon:SPRING20")
}

// Promise: only authorized personnel access personal data. Members whose role lacks
// shop.manage get 403 on every shop admin route, and see no Shop navigation.
func TestShopAdminForbidden(t *testing.T) {
	e := newEnv(t)
	e.shopAdminProduct()
	o := e.shopAdminPaidOrder(1)
	var rows []scenario
	for _, role := range []staff.Role{staff.Analyst, staff.Support, staff.Marketing} {
		n := 0
		for _, rt := range e.srv.routes() {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if !strings.HasPrefix(path, "/admin/shop") {
				continue
			}
			n++
			sc := scenario{Name: rt.Pattern, Role: role, Method: method, URL: strings.ReplaceAll(path, "{id}", strconv.FormatInt(o.ID, 10)),
				Status: http.StatusForbidden, NotContains: []string{shopAdminEmail, shopAdminBuyer}}
			if method != http.MethodGet {
				sc.Form = url.Values{"amount": {"1.00"}, "confirm": {"yes"}}
			}
			rows = append(rows, sc)
		}
		if n < 16 {
			t.Errorf("only %d shop admin routes found", n)
		}
		rows = append(rows, scenario{Name: "no Shop navigation", Role: role, URL: "/admin/",
			Status: http.StatusOK, NotContains: []string{`href="/admin/shop"`}})
	}
	e.scenarios(t, rows)
	if countRows(e, "SELECT COUNT(*) FROM shop_refunds") != 0 {
		t.Error("a refused member's post made a refund")
	}
}

// An order paid through the domain with the sandbox shows in the list and on its page
// (views audited, TEST MODE marked, card brand and last 4 only); a partial refund
// through the form works, an over-refund is refused at the amount field.
func TestShopAdminOrders(t *testing.T) {
	e := newEnv(t, "--tax-rate", "DE=19")
	e.shopAdminProduct()
	o := e.shopAdminPaidOrder(2)
	c, m := e.signedIn("clerk@example.com", staff.ShopRole)
	detail := orderURL(o.ID)
	cardLeaks := []string{shopAdminCard, "4242 4242 4242 4242", "4242-4242-4242-4242"}
	noCVC := func(what, body string) {
		t.Helper()
		if regexp.MustCompile(`\b` + shopAdminCVC + `\b`).MatchString(body) {
			t.Errorf("%s shows the CVC", what)
		}
	}

	r := c.get("/admin/shop/orders")
	want(t, r, http.StatusOK)
	wantIn(t, "the order list", r.body, o.Ref, shopAdminBuyer, shopAdminEmail, "TEST MODE", "Your view of this page is logged", `href="`+detail+`"`, "fulfilled")
	wantNotIn(t, "the order list", r.body, cardLeaks...)
	noCVC("the order list", r.body)

	for _, q := range []string{shopAdminEmail, strings.ToUpper(shopAdminEmail), o.Ref} {
		r = c.search("/admin/shop/orders/search", url.Values{"q": {q}})
		wantIn(t, "a search for "+q, r.body, o.Ref)
	}
	r = c.search("/admin/shop/orders/search", url.Values{"q": {"ada"}})
	want(t, r, http.StatusBadRequest)
	wantIn(t, "a fuzzy search", r.body, "Search by an exact email address or an order reference", `value="ada"`)
	r = c.get("/admin/shop/orders?status=failed")
	wantNotIn(t, "the failed orders", r.body, o.Ref)

	r = c.get(detail)
	want(t, r, http.StatusOK)
	wantIn(t, "the order page", r.body, shopAdminBuyer, shopAdminEmail, "DE", "INV-000001", "TEST MODE", "ending in 4242", "12/2034",
		"Northwind Pro Standard × 2", "Total", `value="116.62"`, "Resend receipt", "Revoke", "Your view of this page is logged", o.PaymentID)
	wantNotIn(t, "the order page", r.body, cardLeaks...)
	noCVC("the order page", r.body)
	wantIn(t, "the audit log", e.auditLog(), "staff:"+strconv.FormatInt(m.ID, 10)+" shop.order.view order:"+strconv.FormatInt(o.ID, 10), "shop.orders.list")

	r = c.post(detail+"/refund", url.Values{"amount": {"1000.00"}, "confirm": {"yes"}})
	want(t, r, http.StatusBadRequest)
	wantIn(t, "an over-refund", r.body, `value="1000.00" aria-invalid="true"`, `id="amount-err"`, "no more than what is left to refund")
	r = c.post(detail+"/refund", url.Values{"amount": {"10.00"}})
	want(t, r, http.StatusBadRequest)
	wantIn(t, "an unconfirmed refund", r.body, "Tick the box to confirm", `value="10.00"`)

	r = c.post(detail+"/refund", url.Values{"amount": {"10.00"}, "confirm": {"yes"}})
	wantRedirect(t, r, detail+"?done=shop-refunded")
	r = c.get(detail + "?done=shop-refunded")
	wantIn(t, "the refunded order", r.body, "The refund was sent", "EUR 10.00", "succeeded", "Refunded", `value="106.62"`, "fulfilled")

	r = c.post(detail+"/resend", nil)
	wantRedirect(t, r, detail+"?done=shop-receipt-queued")
	lic := regexpFind(t, c.get(detail).body, `name="licence" value="([^"]+)"`)
	r = c.post(detail+"/revoke", url.Values{"licence": {lic}})
	wantRedirect(t, r, detail+"?done=shop-licence-revoked")
	wantIn(t, "the order after revoking", c.get(detail).body, "Revoked")

	r = c.get("/admin/shop/report")
	want(t, r, http.StatusOK)
	wantIn(t, "the sales report", r.body, "Northwind Pro", "EUR 116.62", "EUR 10.00", "Total EUR")
	wantNotIn(t, "the sales report", r.body, shopAdminBuyer, shopAdminEmail, o.Ref, "Your view of this page is logged")
	r = c.get("/admin/shop/report?from=2026-01-10&to=2025-01-01")
	want(t, r, http.StatusBadRequest)
	wantIn(t, "a backwards range", r.body, "Choose a range of at most a year")

	wantIn(t, "the audit log", e.auditLog(), "shop.refund order:"+strconv.FormatInt(o.ID, 10), "shop.receipt.resend", "shop.licence.revoke")
}
