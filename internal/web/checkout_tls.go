package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/candor-dev/candor/internal/shop"
)

// Card numbers cross the network only encrypted (issue 11, "no card over plain HTTP"):
// the pages that show card fields or take them answer only over TLS (Candor's own, or a
// trusted proxy's X-Forwarded-Proto: https) or from this machine; and hosted mode sends
// the buyer only to an https page of the card company.

// cardsOverTLS wraps a handler of a page that shows or takes card fields (the payment
// page, its post, the return from 3-D Secure, which shows the form again on a decline).
// In hosted mode no card field is ever on Candor's pages, so nothing is refused.
func (s *checkout) cardsOverTLS(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.shop.Mode() == shop.ModeHosted || overTLS(r, s.cfg.TrustedProxies) || fromLoopback(r, s.cfg.TrustedProxies) {
			h(w, r)
			return
		}
		s.refuseCardsInClear(w, r)
	}
}

// refuseCardsInClear answers 403 with a page that says why, renders no card field and
// reads no form: a card number posted in clear is dropped unread (the body is discarded
// by the server). When the public URL is https, the page links the same address there.
func (s *checkout) refuseCardsInClear(w http.ResponseWriter, r *http.Request) {
	var secure string
	if u := s.cfg.PublicURL; u != nil && u.Scheme == "https" && r.Method == http.MethodGet {
		secure = strings.TrimSuffix(u.String(), "/") + r.URL.RequestURI() // the query too (the processor's return)
	}
	s.cardPageHeaders(w)
	s.render(w, r, http.StatusForbidden, "card_insecure", page{Title: "Payment needs an encrypted connection",
		Data: map[string]any{"Status": http.StatusForbidden, "SecureURL": secure}})
}

// httpsOnly checks the card company's hosted page before the buyer is sent there: an
// absolute https URL with a host. Plain http is accepted only for a test double of the
// processor on loopback (testDouble: --stripe-api itself is http on loopback, which
// config accepts for tests only), and only to a loopback host.
func httpsOnly(raw string, testDouble bool) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.User != nil:
		return fmt.Errorf("the card company's hosted page is not an absolute URL")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && testDouble && loopbackHost(u.Hostname()):
		return nil
	}
	return fmt.Errorf("the card company's hosted page is not an https URL (scheme %q)", u.Scheme)
}

// loopbackHost reports whether host is a literal loopback address or "localhost".
func loopbackHost(host string) bool {
	ip, err := netip.ParseAddr(host)
	return host == "localhost" || (err == nil && ip.IsLoopback())
}

// processorIsTestDouble reports whether the card processor's API is a plain-http test
// double on this machine (see httpsOnly).
func (s *checkout) processorIsTestDouble() bool {
	api := s.cfg.StripeAPI
	return api != nil && api.Scheme == "http" && loopbackHost(api.Hostname())
}
