package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// metricsGate is GET /metrics: the Prometheus text, answered only to a client on this
// machine (fromLoopback) or to one that shows the --metrics-token as a bearer token.
// The figures hold no personal data, but in real time they show when someone posts a
// form or pays, which is nobody else's business.
type metricsGate struct {
	*pages
	metrics *Metrics
}

// serve answers the metrics, or 401 (a token is configured and was not shown) or 403
// (no token is configured, so only loopback may ask), saying why in plain text.
func (g *metricsGate) serve(w http.ResponseWriter, r *http.Request) {
	if fromLoopback(r, g.cfg.TrustedProxies) || g.tokenShown(r) {
		g.metrics.handler().ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if g.cfg.MetricsToken == "" {
		http.Error(w, "/metrics answers only on this machine (loopback). To scrape it from elsewhere, set --metrics-token and send Authorization: Bearer TOKEN.", http.StatusForbidden)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="candor-metrics"`)
	http.Error(w, "/metrics needs Authorization: Bearer TOKEN (the --metrics-token) from anywhere but this machine.", http.StatusUnauthorized)
}

// tokenShown reports whether r carries the configured token, compared in constant time
// (over digests, so neither the token's bytes nor its length leak through timing).
func (g *metricsGate) tokenShown(r *http.Request) bool {
	want := g.cfg.MetricsToken
	scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if want == "" || !ok || !strings.EqualFold(scheme, "Bearer") { // the scheme is case-insensitive (RFC 9110)
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
