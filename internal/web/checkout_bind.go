package web

import (
	"context"
	"net/http"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// The pay and return pages of an order open only in the browser that placed it: the
// checkout sets a cookie scoped to /checkout/<ref>/ whose value is a MAC over the
// reference and an expiry (shop.CheckoutPass). A cookie rather than a token in the
// processor's return URL: URLs end up in the processor's logs, browser history and
// Referer headers, like the reference itself, while the cookie stays in the buyer's
// browser; SameSite=Lax still sends it on the top-level GET back from the card
// company. Whoever has only the reference gets a page that mails the buyer's links
// to the address on file.
const checkoutCookie = "candor_checkout"

// checkoutLinksMessage is the one answer of "mail me my links", whatever the reference.
const checkoutLinksMessage = "If this is one of our orders, we have sent its buyer a mail with links to their orders."

// checkoutCookieName carries the __Secure- prefix under HTTPS (__Host- needs Path=/).
func (s *checkout) checkoutCookieName() string {
	if s.cfg.SecureCookies() {
		return "__Secure-" + checkoutCookie
	}
	return checkoutCookie
}

// setCheckoutCookie binds the order's pay and return pages to this browser.
func (s *checkout) setCheckoutCookie(w http.ResponseWriter, ref string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.checkoutCookieName(), Value: s.shop.CheckoutPass(ref), Path: "/checkout/" + ref + "/",
		MaxAge: int(shop.CheckoutPassTTL.Seconds()), Secure: s.cfg.SecureCookies(), HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// buyerOnly runs h for the browser that placed the order {ref}; anyone else gets the
// "mail me my links" page (200 for a GET, 403 for a POST), which opens nothing.
func (s *checkout) buyerOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.checkoutCookieName())
		if err == nil && s.shop.CheckCheckoutPass(r.PathValue("ref"), c.Value) {
			h(w, r)
			return
		}
		st := http.StatusOK
		if r.Method != http.MethodGet {
			st = http.StatusForbidden
		}
		s.cardPageHeaders(w)
		w.Header().Set("Referrer-Policy", "no-referrer")
		s.render(w, r, st, "checkout_links", page{Title: "Your order", Data: map[string]any{"Ref": r.PathValue("ref")}})
	}
}

// mailLinks is POST /checkout/{ref}/links: mails fresh order links to the buyer of
// {ref} at the address on file, rate limited per client and per reference like "find
// my orders", with one answer for every reference.
func (s *checkout) mailLinks(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	var err error
	if !s.shopLimit.Allow(ClientIP(r.Context())) || !s.findLimit.Allow("ref:"+ref) {
		err = errs.E(errs.RateLimited, "Too many requests; please try again in an hour.")
	} else {
		s.later.do(r, "mail order links", func(ctx context.Context) error { return s.shop.MailOrderLinks(ctx, ref) })
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/checkout/links/sent", http.StatusSeeOther)
}

// mailLinksSent is GET /checkout/links/sent, the landing page after "mail me my links".
func (s *checkout) mailLinksSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "checkout_links", page{Title: "Your order", Flash: checkoutLinksMessage})
}
