package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// holdCheckout gives the client the checkout cookie of an order created in the test
// through the shop service (as if this browser had placed it).
func (c *client) holdCheckout(ref string) *client {
	u, _ := url.Parse(c.e.ts.URL + "/checkout/" + ref + "/")
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: checkoutCookie, Value: c.e.shop.CheckoutPass(ref), Path: u.Path}})
	return c
}

// noOrderLink fails when an answer hands out the order page: a redirect to /orders/…
// or a signed link (s=) in the body.
func noOrderLink(t *testing.T, what string, r resp) {
	t.Helper()
	if loc := r.Header.Get("Location"); strings.Contains(loc, "/orders/") || strings.Contains(loc, "s=") {
		t.Errorf("%s: redirects to %q", what, loc)
	}
	if strings.Contains(r.body, "/orders/ord_") || strings.Contains(r.body, "&amp;s=") || strings.Contains(r.body, "&s=") {
		t.Errorf("%s: the body carries an order link:\n%s", what, r.body)
	}
}

// Promise (issue 12, item 1): an order reference alone opens nothing. Without the
// checkout cookie of the browser that placed the order, the pay and return pages
// answer a "mail me my links" page, never an order-page link; the mail goes to the
// buyer's address on file, with one answer whatever the reference.
func TestBareOrderRefMintsNoOrderLink(t *testing.T) {
	e := newEnv(t)
	pending, paid := shopFixture(t, e)
	stranger := e.client()
	for _, p := range []string{"/checkout/" + paid.Ref + "/pay", "/checkout/" + paid.Ref + "/return",
		"/checkout/" + paid.Ref + "/return?session_id=cs_x", "/checkout/" + pending.Ref + "/pay"} {
		r := stranger.get(p)
		want(t, r, http.StatusOK)
		noOrderLink(t, "GET "+p, r)
		if !strings.Contains(r.body, `action="/checkout/`) || !strings.Contains(r.body, "Mail me my links") {
			t.Errorf("GET %s does not offer to mail the links:\n%s", p, r.body)
		}
	}
	// Nor does posting a card or the hosted button without the cookie.
	r := stranger.post("/checkout/"+pending.Ref+"/pay", url.Values{"card_number": {testCard}, "card_exp": {"12/34"}, "card_cvc": {testCVC}})
	noOrderLink(t, "POST pay", r)
	if r.StatusCode == http.StatusSeeOther {
		t.Errorf("a card post without the checkout cookie was taken: %d", r.StatusCode)
	}

	outbox := func() int {
		var n int
		must(t, e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'shop.find-orders'").Scan(&n))
		return n
	}
	known := stranger.post("/checkout/"+paid.Ref+"/links", nil)
	unknown := stranger.post("/checkout/ord_aaaaaaaaaaaaaaaaaaaaaaaaaa/links", nil)
	junk := stranger.post("/checkout/nonsense/links", nil)
	for _, r := range []resp{known, unknown, junk} {
		wantRedirect(t, r, "/checkout/links/sent")
	}
	if n := outbox(); n != 1 {
		t.Fatalf("%d mails; want one, to the buyer of the paid order", n)
	}
	for range 5 {
		stranger.post("/checkout/"+paid.Ref+"/links", nil)
	}
	if n := outbox(); n > 3 {
		t.Fatalf("%d mails for one order in a row: not rate limited", n)
	}
}

// Promise: the buyer's own browser (its cookie jar) still goes from checkout to the
// order page; the checkout cookie is HttpOnly, SameSite=Lax, scoped to that order's
// checkout path, and bound to that order (it opens no other).
func TestCheckoutCookieBindsTheBuyer(t *testing.T) {
	e := newEnv(t)
	pending, _ := shopFixture(t, e)
	c := e.client()
	r := c.post("/buy/tool/std", url.Values{"action": {"continue"}, "name": {"Lee Buyer"}, "email": {"lee@buyer.example"},
		"country": {"FR"}, "quantity": {"1"}, "currency": {"EUR"}})
	want(t, r, http.StatusSeeOther)
	payPath := r.Header.Get("Location")
	ck := r.cookie(checkoutCookie)
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != strings.TrimSuffix(payPath, "pay") || ck.MaxAge <= 0 {
		t.Fatalf("checkout cookie: %+v (pay page %s)", ck, payPath)
	}
	// The cookie of one order, replayed on another order's path, opens nothing.
	other := e.client()
	req := other.newRequest(http.MethodGet, "/checkout/"+pending.Ref+"/pay", nil)
	req.AddCookie(&http.Cookie{Name: checkoutCookie, Value: ck.Value})
	noOrderLink(t, "replayed cookie", other.do(req))
	if strings.Contains(other.do(req).body, "card_number") {
		t.Error("another order's cookie opened this order's payment form")
	}

	r = c.get(payPath)
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "card_number") {
		t.Fatalf("the buyer's own pay page has no card form:\n%s", r.body)
	}
	r = c.post(payPath, url.Values{"card_number": {testCard}, "card_exp": {"12/34"}, "card_cvc": {testCVC}})
	want(t, r, http.StatusSeeOther)
	if !strings.Contains(r.Header.Get("Location"), "/orders/ord_") {
		t.Fatalf("the buyer's payment went to %q, not the order page", r.Header.Get("Location"))
	}
	ret := c.get(strings.TrimSuffix(payPath, "pay") + "return")
	want(t, ret, http.StatusSeeOther)
	if !strings.Contains(ret.Header.Get("Location"), "/orders/ord_") {
		t.Fatalf("the buyer's return page went to %q", ret.Header.Get("Location"))
	}
}
