package web

import "net/http"

// contentSecurityPolicy allows only Candor's own origin: no CDN, no third party.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// checkoutCSP is the policy of the checkout and payment pages: no script at all (the
// pages work without it), nothing framed, forms posted only to Candor.
const checkoutCSP = "default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// hostedCSP lets the payment form continue to the card company's hosted page (a form
// post answered by a redirect is subject to form-action).
const hostedCSP = checkoutCSP + " https://checkout.stripe.com"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	tls := s.cfg.TLS()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header(), tls)
		next.ServeHTTP(w, r)
	})
}

// setSecurityHeaders assigns the security headers into h (HSTS under Candor's own TLS):
// those of every answer (setAnswerHeaders), and those that govern a document or a
// loaded resource (opener and resource policies, browser features).
func setSecurityHeaders(h http.Header, tls bool) {
	setAnswerHeaders(h, tls)
	h["Cross-Origin-Opener-Policy"] = hdrSameOrigin
	h["Cross-Origin-Resource-Policy"] = hdrSameOrigin
	h["Permissions-Policy"] = hdrPermissions
}

// setAnswerHeaders assigns the security headers that every response carries, with or
// without a body: the content security policy (no framing), nosniff, X-Frame-Options
// for older browsers, no referrer, and HSTS under Candor's own TLS. Alone they are the
// headers of POST /collect's bodiless 204, where the document headers govern nothing;
// there they keep the header map within 8 entries, which net/http copies on every
// answer (a map of more entries costs twice as many allocations at page-view rates).
func setAnswerHeaders(h http.Header, tls bool) {
	h["Content-Security-Policy"] = hdrCSP
	h["X-Content-Type-Options"] = hdrNosniff
	h["X-Frame-Options"] = hdrDeny
	h["Referrer-Policy"] = hdrNoReferrer
	if tls {
		h["Strict-Transport-Security"] = hdrHSTS
	}
}

// The security headers' values (see fixedValue).
var (
	hdrCSP         = fixedValue(contentSecurityPolicy)
	hdrCheckoutCSP = fixedValue(checkoutCSP)
	hdrHostedCSP   = fixedValue(hostedCSP)
	hdrNosniff     = fixedValue("nosniff")
	hdrDeny        = fixedValue("DENY")
	hdrNoReferrer  = fixedValue("no-referrer")
	hdrSameOrigin  = fixedValue("same-origin")
	hdrPermissions = fixedValue("camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	hdrHSTS        = fixedValue("max-age=63072000; includeSubDomains")
	hdrNoStore     = fixedValue("no-store")
	hdrVaryOrigin  = fixedValue("Origin")
)
