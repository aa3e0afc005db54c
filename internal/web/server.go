package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/antibot/antibothttp"
	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/limiter"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/sandbox"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// Health is what /readyz asks of storage.
type Health interface {
	Ping(ctx context.Context) error
	Pending(ctx context.Context) (int, error)
}

// Deps are the server's collaborators, built by the command that starts it.
type Deps struct {
	Config config.Config
	Health Health
	Staff  *staff.Service
	Audit  *audit.Log

	Newsletter *newsletter.Service
	Campaigns  *newsletter.Campaigns
	Contact    *contact.Service  // the contact form and staff inbox
	Outbox     *mail.OutboxAdmin // the staff view of the mail outbox
	Antibot    *antibot.Guard
	Stats      Collector             // visitor statistics: the aggregator (nil: hits are dropped)
	Sites      SiteFinder            // the sites whose visits are counted
	Reports    *analytics.Reports    // the dashboard's figures, suppression applied (nil: no dashboard)
	SiteList   SiteLister            // the sites the dashboard can show (analytics.Sites)
	StatsAPI   StatsTokens           // the statistics API's tokens (analytics.Tokens; nil: every API call is 401)
	Live       LiveCounter           // visitors of the last 5 minutes, this instance (the aggregator; nil: not shown)
	StatsMail  StatsMail             // the weekly statistics mail's opt-in (analytics.Weekly; nil: not offered)
	StatsGoals StatsGoals            // the dashboard's goals (analytics.Goals; nil: not offered)
	Shop       *shop.Service         // the shop (nil: no shop pages)
	Sandbox    *sandbox.Sandbox      // the built-in test processor, in test mode only (its 3-D Secure page)
	Webhooks   payment.WebhookParser // the processor's signed webhooks (nil: POST /webhooks/stripe answers 404)
	Log        *slog.Logger
	Metrics    *Metrics
	Version    string
}

// Server is the HTTP surface of Candor.
type Server struct {
	cfg    config.Config
	health Health
	staff  *staff.Service
	audit  *audit.Log

	newsletter *newsletter.Service
	campaigns  *newsletter.Campaigns
	contact    *contact.Service
	outbox     *mail.OutboxAdmin
	antibot    *antibot.Guard
	stats      Collector
	sites      SiteFinder
	reports    *analytics.Reports
	siteList   SiteLister

	statsTokens       StatsTokens
	live              LiveCounter
	statsMail         StatsMail
	statsGoals        StatsGoals
	collectLimit      *limiter.Limiter[addrKey] // statistics hits per client address (nil: no limit)
	shop              *shop.Service
	shopLimit         *limiter.Limiter[string] // checkouts and order look-ups per client address
	cardLimit         *limiter.Limiter[string] // card attempts per client address and per order (card testing)
	findLimit         *limiter.Limiter[string] // "find my orders" mails per email address
	sandbox           *sandbox.Sandbox
	webhooks          payment.WebhookParser
	statsAPILimit     *limiter.Limiter[string]  // per API token
	statsAPIAddrLimit *limiter.Limiter[addrKey] // per client address, before the token is checked

	antibotScript, antibotChallenge, trackerScript http.HandlerFunc

	log       *slog.Logger
	metrics   *Metrics
	version   string
	assets    assets
	templates map[string]*template.Template
	handler   http.Handler
}

// NewServer builds the handler with every route and middleware in place.
func NewServer(d Deps) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	t, err := parseTemplates(a)
	if err != nil {
		return nil, err
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics()
	}
	s := &Server{
		cfg: d.Config, health: d.Health, staff: d.Staff, audit: d.Audit, log: d.Log,
		newsletter: d.Newsletter, campaigns: d.Campaigns, contact: d.Contact, outbox: d.Outbox, antibot: d.Antibot,
		stats: d.Stats, sites: d.Sites, reports: d.Reports, siteList: d.SiteList,
		statsTokens: d.StatsAPI, statsAPILimit: limiter.New[string](statsAPIBurst, statsAPIEvery, 10_000),
		statsAPIAddrLimit: limiter.New[addrKey](2*statsAPIBurst, statsAPIEvery/2, 10_000),
		live:              d.Live, statsMail: d.StatsMail, statsGoals: d.StatsGoals, collectLimit: newCollectLimit(d.Config.StatsIPLimit),
		shop: d.Shop, sandbox: d.Sandbox, webhooks: d.Webhooks,
		shopLimit: limiter.New[string](20, 3*time.Second, 10_000), cardLimit: limiter.New[string](8, time.Minute, 10_000),
		findLimit: limiter.New[string](3, 20*time.Minute, 10_000),
		metrics:   d.Metrics, version: d.Version, assets: a, templates: t,
	}
	script, err := staticFiles.ReadFile("static/antibot.js")
	if err != nil {
		return nil, err
	}
	s.antibotScript = antibothttp.Script(script)
	s.antibotChallenge = antibothttp.Challenge(d.Antibot, s.isSiteOrigin)
	tracker, err := staticFiles.ReadFile("static/tracker.js")
	if err != nil {
		return nil, err
	}
	s.trackerScript = antibothttp.Script(tracker) // any stable-URL script for the vendor's pages
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.guard(rt))
	}
	// The vendor's site origins are trusted for the public forms only: a script on the
	// vendor's website must never be able to post to the admin.
	deny := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errForeignOrigin) })
	strict := http.NewCrossOriginProtection()
	strict.SetDenyHandler(deny)
	public := http.NewCrossOriginProtection()
	public.SetDenyHandler(deny)
	for _, o := range d.Config.SiteOrigins {
		if err := public.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	strictMux, publicMux := strict.Handler(mux), public.Handler(mux)
	byOrigin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStaffPath(r.URL.Path) {
			strictMux.ServeHTTP(w, r)
			return
		}
		publicMux.ServeHTTP(w, r)
	})
	s.handler = s.observe(s.securityHeaders(s.limitBody(byOrigin)))
	return s, nil
}

// ServeHTTP serves a request. POST /collect, answered at page-view rates, goes straight to
// its handler, which does for itself what the middleware chain does for it (see collect);
// every other request, /collect's other methods included, goes through the chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/collect" {
		s.collect(w, r)
		return
	}
	s.handler.ServeHTTP(w, r)
}

// isStaffPath reports whether a path belongs to the staff side (admin pages and API),
// where no other origin is ever trusted.
func isStaffPath(p string) bool {
	return p == "/admin" || strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/api/")
}
