package web

import (
	"context"
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
	"github.com/candor-dev/candor/internal/privacy"
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
	Privacy    *privacy.Service      // one person's data: /my-data and the admin's Data requests
	MyData     *privacy.Links        // the sealed, expiring links /my-data mails
	Notice     *privacy.Published    // the public privacy notice (nil: /privacy answers 404)
	Promises   Promises              // the privacy checks for the Promises page (promises.Daily; nil: no checks shown)
	Log        *slog.Logger
	Metrics    *Metrics
	Version    string
}

// Server is the HTTP surface of Candor: the routing table (routes.go), the access guard and
// the middleware chain around the area types, each of which holds only the collaborators
// its handlers use. NewServer is the one place they are built from Deps.
type Server struct {
	*observer                // request ids, panics, metrics and logs around every request
	staff     *staff.Service // the guard's sessions and permissions
	shop      *shop.Service  // nil: every shop route answers 404 (shopOnly)
	handler   http.Handler   // the middleware chain and the mux
	later     *afterwork     // the public forms' address-dependent work, after the answer

	antibotScript, antibotChallenge, trackerScript http.HandlerFunc

	probes          *probes
	forms           *publicForms
	collector       *collector
	checkout        *checkout
	accountPages    *accountPages
	inboxPages      *inboxPages
	subscriberPages *subscriberPages
	campaignPages   *campaignPages
	statsPages      *statsPages
	shopAdmin       *shopAdmin
	outboxPages     *outboxPages
	staffPages      *staffPages
	auditPages      *auditPages
	metricsGate     *metricsGate
	myData          *myDataPages
	dataRequests    *dataRequestPages
	privacyNotice   *privacyNotice
	promisePages    *promisePages
}

// NewServer builds the handler with every route and middleware in place.
func NewServer(d Deps) (*Server, error) {
	p, err := newPages(d.Config, d.Log)
	if err != nil {
		return nil, err
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics()
	}
	obs := &observer{pages: p, metrics: d.Metrics}
	later := newAfterwork(d.Log)
	s := &Server{
		observer: obs, staff: d.Staff, shop: d.Shop, later: later,
		probes: &probes{health: d.Health},
		forms:  &publicForms{pages: p, metrics: d.Metrics, antibot: d.Antibot, newsletter: d.Newsletter, contact: d.Contact, later: later},
		collector: &collector{observer: obs, stats: d.Stats, sites: d.Sites,
			collectLimit: newCollectLimit(d.Config.StatsIPLimit)},
		checkout: &checkout{pages: p, shop: d.Shop, sandbox: d.Sandbox, webhooks: d.Webhooks, later: later, newsletter: d.Newsletter,
			shopLimit: limiter.New[string](20, 3*time.Second, 10_000), cardLimit: limiter.New[string](8, time.Minute, 10_000),
			findLimit: limiter.New[string](3, 20*time.Minute, 10_000)},
		accountPages:    &accountPages{pages: p, staff: d.Staff},
		inboxPages:      &inboxPages{pages: p, contact: d.Contact, staff: d.Staff},
		subscriberPages: &subscriberPages{pages: p, newsletter: d.Newsletter},
		campaignPages:   &campaignPages{pages: p, campaigns: d.Campaigns, newsletter: d.Newsletter},
		statsPages: &statsPages{pages: p, reports: d.Reports, siteList: d.SiteList, statsTokens: d.StatsAPI,
			live: d.Live, statsMail: d.StatsMail, statsGoals: d.StatsGoals, shop: d.Shop,
			statsAPILimit:     limiter.New[string](statsAPIBurst, statsAPIEvery, 10_000),
			statsAPIAddrLimit: limiter.New[addrKey](2*statsAPIBurst, statsAPIEvery/2, 10_000)},
		shopAdmin:    &shopAdmin{pages: p, shop: d.Shop},
		outboxPages:  &outboxPages{pages: p, outbox: d.Outbox},
		staffPages:   &staffPages{pages: p, staff: d.Staff, audit: d.Audit},
		auditPages:   &auditPages{pages: p, audit: d.Audit},
		myData:       &myDataPages{pages: p, metrics: d.Metrics, antibot: d.Antibot, privacy: d.Privacy, links: d.MyData},
		dataRequests: &dataRequestPages{pages: p, privacy: d.Privacy},
		metricsGate:  &metricsGate{pages: p, metrics: d.Metrics},
	}
	if s.privacyNotice, err = newPrivacyNotice(p, d.Notice); err != nil {
		return nil, err
	}
	s.promisePages = &promisePages{pages: p, checks: d.Promises}
	p.navAlerts = s.promisePages.navAlerts
	script, err := staticFiles.ReadFile("static/antibot.js")
	if err != nil {
		return nil, err
	}
	s.antibotScript = antibothttp.Script(script)
	s.antibotChallenge = antibothttp.Challenge(d.Antibot, p.isSiteOrigin)
	tracker, err := staticFiles.ReadFile("static/tracker.js")
	if err != nil {
		return nil, err
	}
	s.trackerScript = antibothttp.Script(tracker) // any stable-URL script for the vendor's pages
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.Pattern, s.guard(rt))
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
		if isStaffPath(r.URL.Path) || isSelfServicePath(r.URL.Path) {
			strictMux.ServeHTTP(w, r)
			return
		}
		publicMux.ServeHTTP(w, r)
	})
	s.handler = s.observe(s.securityHeaders(s.limitBody(byOrigin)))
	return s, nil
}

// ServeHTTP serves a request. POST /collect, answered at page-view rates, goes straight to
// its handler, which does for itself what the middleware chain does for it (see
// collector.collect); every other request, /collect's other methods included, goes
// through the chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/collect" {
		s.collector.collect(w, r)
		return
	}
	s.handler.ServeHTTP(w, r)
}

// isSelfServicePath reports whether a path is one of the /my-data pages, which no other
// origin (not even the vendor's site) may post to: they export and erase a person's data.
func isSelfServicePath(p string) bool { return p == "/my-data" || strings.HasPrefix(p, "/my-data/") }

// isStaffPath reports whether a path belongs to the staff side (admin pages and API),
// where no other origin is ever trusted.
func isStaffPath(p string) bool {
	return p == "/admin" || strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/api/")
}
