package web

import (
	"context"
	"encoding/base32"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"runtime/debug"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// observer is the request's outer layer: its id and client address, panics recovered,
// and the request counted in the metrics and logged (observe). POST /collect's fast path
// calls recovered and served itself.
type observer struct {
	*pages
	metrics *Metrics
}

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var requestIDEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRequestID returns a short random id (80 bits, 16 base32 characters), shown to
// users on error pages and logged. It only correlates an error page with its log line,
// and is never a secret or a capability, so it comes from the runtime's per-thread
// ChaCha8 generator (math/rand/v2, seeded from the OS per process: unpredictable without
// a system call per request) rather than crypto/rand. Random, not a counter, so that two
// ids do not tell how many requests the server answered between them.
func newRequestID() string {
	var b [16]byte
	x, y := rand.Uint64(), rand.Uint64()
	for i := range 8 {
		b[i], b[8+i] = byte(x>>(8*i)), byte(y>>(8*i))
	}
	var out [16]byte // base32 of 10 bytes
	requestIDEncoding.Encode(out[:], b[:10])
	return string(out[:])
}

// requestValues carries the request id and client address in one context value (one
// allocation instead of two on every request); RequestID and ClientIP read it.
type requestValues struct {
	context.Context
	id string
	ip netip.Addr
}

// requestState is what observe allocates per request, in one allocation.
type requestState struct {
	sw statusWriter
	rv requestValues
}

func (c *requestValues) Value(key any) any {
	if key == keyRequest {
		return c // a pointer in an interface: no allocation
	}
	return c.Context.Value(key)
}

// quietRoutes are answered at high rates from visitors' browsers: a successful answer is
// counted in the metrics but not logged line by line at info level (errors still are).
var quietRoutes = map[string]bool{"POST /collect": true, "OPTIONS /collect": true, "GET /pixel.gif": true}

// Response header keys, already canonical, and their fixed values, assigned straight into
// the header map on the hot path (no canonicalisation, no slice per header). The slices
// are shared: cap == len, so an Add elsewhere copies rather than writes into them, and
// nothing in Candor modifies a header value in place.
func fixedValue(v string) []string { return []string{v}[:1:1] }

// observe gives the request an id and its client address, recovers panics (recovered),
// and counts and logs the request by its route pattern (served).
func (s *observer) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header()["X-Request-Id"] = []string{id}
		st := &requestState{sw: statusWriter{ResponseWriter: w},
			rv: requestValues{Context: r.Context(), id: id, ip: clientAddr(r, s.cfg.TrustedProxies)}}
		r = r.WithContext(&st.rv)
		sw := &st.sw
		defer func() {
			if p := recover(); p != nil {
				s.recovered(p, sw, r, id)
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			s.served(r, id, route, status, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// recovered handles a handler's panic: it logs the panic by its type (with the stack)
// and answers 500 unless an answer has begun. http.ErrAbortHandler is re-raised.
func (s *observer) recovered(p any, sw *statusWriter, r *http.Request, id string) {
	if p == http.ErrAbortHandler {
		panic(p)
	}
	s.log.Error("panic", "request_id", id, "panic", panicText(p), "stack", string(debug.Stack()))
	if sw.status == 0 {
		s.fail(sw, r, errs.E(errs.Internal, ""))
	}
}

// served counts an answered request in the metrics and logs it: errors at error level,
// other refusals at info, successes at info except on quietRoutes. It logs nothing that
// could identify a person: no path values, no query, no IP, no user agent.
func (s *observer) served(r *http.Request, id, route string, status int, elapsed time.Duration) {
	s.metrics.observe(route, status, elapsed)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	} else if status < 400 && quietRoutes[route] {
		return
	}
	if !s.log.Enabled(r.Context(), level) {
		return // no boxing of the attributes for a line that would be dropped
	}
	s.log.Log(r.Context(), level, "request", "request_id", id, "method", r.Method, "route", route,
		"status", status, "duration_ms", float64(elapsed.Microseconds())/1000)
}

// panicText describes a panic value by its type only: its text could hold request data.
func panicText(p any) string {
	if err, ok := p.(error); ok {
		return "error " + typeName(err)
	}
	return "value " + typeName(p)
}

// typeName is a value's Go type, all of it a panic's log line may say about the value.
func typeName(v any) string { return fmt.Sprintf("%T", v) }

// limitBody caps every request body (POST /collect, served ahead of it, caps its own).
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.bodyLimit(r) // the configured cap; larger for the subscriber import upload
		if r.ContentLength > limit {
			s.fail(w, r, &http.MaxBytesError{Limit: limit}) // 413, not 400
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}
