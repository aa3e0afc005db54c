package web

import "net/http"

// contentSecurityPolicy allows only Candor's own origin: no CDN, no third party.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	tls := s.cfg.TLS()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = hdrCSP
		h["X-Content-Type-Options"] = hdrNosniff
		h["X-Frame-Options"] = hdrDeny
		h["Referrer-Policy"] = hdrNoReferrer
		h["Cross-Origin-Opener-Policy"] = hdrSameOrigin
		h["Cross-Origin-Resource-Policy"] = hdrSameOrigin
		h["Permissions-Policy"] = hdrPermissions
		if tls {
			h["Strict-Transport-Security"] = hdrHSTS
		}
		next.ServeHTTP(w, r)
	})
}

// The security headers' values (see fixedValue).
var (
	hdrCSP         = fixedValue(contentSecurityPolicy)
	hdrNosniff     = fixedValue("nosniff")
	hdrDeny        = fixedValue("DENY")
	hdrNoReferrer  = fixedValue("no-referrer")
	hdrSameOrigin  = fixedValue("same-origin")
	hdrPermissions = fixedValue("camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	hdrHSTS        = fixedValue("max-age=63072000; includeSubDomains")
	hdrNoStore     = fixedValue("no-store")
	hdrVaryOrigin  = fixedValue("Origin")
)
