package web

import (
	"net/http"
	"time"
)

// collectRoute is POST /collect's pattern in routes.go, and its label in the metrics.
const collectRoute = "POST /collect"

// collect is POST /collect. ServeHTTP calls it ahead of the middleware chain and the mux,
// since it is answered at page-view rates, and it does for itself, with no allocation
// beyond what it needs, what that chain does for every request:
//
//   - the security headers every answer carries (setAnswerHeaders): its 204 has no
//     document for the others to govern;
//   - the body cap: its own (collectBodyLimit, or --max-body-bytes if smaller: collectHit);
//   - panics recovered and logged (recovered); the request counted in the metrics under
//     its route pattern and logged by its status (served: an error is logged, a success
//     is not, /collect being on quietRoutes), never with an address or a user agent;
//   - a request id, drawn only for an answer that is logged (4xx and 5xx) and sent with
//     it in X-Request-Id: the id only ties an answer to its log line, and a success has none.
//
// The cross-origin protection is not applied. Beacons come cross-site from every
// registered site (sites are added at run time, so they cannot be trusted origins), and
// sendBeacon cannot be told to send same-origin. That is safe for /collect only: it reads
// no cookie or session, grants nothing and changes no state a visitor could be harmed by;
// a forged page view from a hostile page is no more than anyone can send with curl, which
// origin checks never stop. It is bounded by the aggregator's back-pressure, the
// per-address limit and the body cap.
func (s *collector) collect(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h := w.Header()
	setAnswerHeaders(h, s.cfg.TLS())
	ip := clientAddr(r, s.cfg.TrustedProxies)
	id, status := "", 0
	defer func() {
		if p := recover(); p != nil {
			setSecurityHeaders(h, s.cfg.TLS()) // the error page has a body: every header
			id = newRequestID()
			h["X-Request-Id"] = []string{id}
			sw := &statusWriter{ResponseWriter: w, status: status}
			s.recovered(p, sw, r.WithContext(&requestValues{Context: r.Context(), id: id, ip: ip}), id)
			status = sw.status
		}
		s.served(r, id, collectRoute, status, time.Since(start))
	}()
	status = s.collectHit(w, r, ip)
	if status >= 400 {
		id = newRequestID()
		h["X-Request-Id"] = []string{id}
	}
	collectStatus(w, status)
}
