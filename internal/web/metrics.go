package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the Prometheus registry of one server: request counts and durations by
// route pattern (never by path, so labels are bounded and carry no personal data), plus
// the Go runtime and process collectors. Domains may register their own collectors.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	forms    *prometheus.CounterVec
	hits     *prometheus.CounterVec

	// The children of the vectors above, by label values, so that a request costs one
	// lookup here instead of hashing its labels in each vector (no strconv either).
	byRoute sync.Map // routeStatus → routeMetrics
	byHit   sync.Map // outcome → prometheus.Counter
}

type routeStatus struct {
	route  string
	status int
}

type routeMetrics struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// NewMetrics builds the registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "candor_http_request_duration_seconds", Help: "HTTP request duration by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		forms: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_form_submissions_total", Help: "Public form submissions by form and anti-bot outcome.",
		}, []string{"form", "outcome"}),
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_stats_hits_total", Help: "Visitor-statistics hits (beacon and pixel) by outcome.",
		}, []string{"outcome"}),
	}
	m.Registry.MustRegister(m.requests, m.duration, m.forms, m.hits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) observe(route string, status int, d time.Duration) {
	k := routeStatus{route, status}
	v, ok := m.byRoute.Load(k)
	if !ok {
		v, _ = m.byRoute.LoadOrStore(k, routeMetrics{
			requests: m.requests.WithLabelValues(route, strconv.Itoa(status)),
			duration: m.duration.WithLabelValues(route),
		})
	}
	rm := v.(routeMetrics)
	rm.requests.Inc()
	rm.duration.Observe(d.Seconds())
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

func (m *Metrics) countForm(form, outcome string) { m.forms.WithLabelValues(form, outcome).Inc() }

// countHit counts one visitor-statistics hit by outcome (accepted, unknown_site, full,
// dnt, rate_limited, disabled, error): never by site, path or anything else a visitor sent.
func (m *Metrics) countHit(outcome string) {
	c, ok := m.byHit.Load(outcome)
	if !ok {
		c, _ = m.byHit.LoadOrStore(outcome, m.hits.WithLabelValues(outcome))
	}
	c.(prometheus.Counter).Inc()
}
