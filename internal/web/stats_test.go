package web

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// statsFixture wires the dashboard into e's server over its database and records, for
// yesterday and today, six ordinary visitors and one visitor with a page of their own.
func statsFixture(t *testing.T, e *env, withSite bool) {
	t.Helper()
	store := sqldb.AnalyticsStore{DB: e.db}
	sites := analytics.NewSites(store, nil)
	e.srv.statsPages.reports, e.srv.statsPages.siteList = analytics.NewReports(store, 5, 10), sites
	e.srv.statsPages.statsTokens = analytics.NewTokens(sqldb.StatsTokenStore{DB: e.db}, e.srv.auditPages.audit, e.staff, nil)
	if !withSite {
		return
	}
	site, err := sites.Add(e.ctx, staff.CLI, "shop", "shop.example.com")
	if err != nil {
		t.Fatal(err)
	}
	agg := analytics.NewAggregator(store, analytics.Options{SiteHost: sites.Host})
	const ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	now := time.Now().UTC()
	for d := 1; d >= 0; d-- {
		at := now.Add(-time.Duration(d) * 24 * time.Hour)
		for v := range 6 {
			ip := netip.AddrFrom4([4]byte{198, 51, 100, byte(v + 1)})
			agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/", Referrer: "https://www.google.com/",
				IP: ip, UserAgent: ua, Time: at})
			agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/pricing", IP: ip, UserAgent: ua, Time: at.Add(time.Second)})
		}
	}
	lone := netip.MustParseAddr("2001:db8::77")
	for i, p := range []string{"/lonely-landing-page", "/lonely-second-page", "/lonely-third-page"} {
		agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: p, Referrer: "https://lonely-blog.example.net/",
			UTMCampaign: "lonely-campaign", IP: lone, UserAgent: ua, Time: now.Add(time.Duration(i) * time.Second)})
	}
	if err := agg.Flush(e.ctx); err != nil {
		t.Fatal(err)
	}
}

// Promise: analysts, admins and owners see the dashboard; support, marketing and shop
// staff do not. The figures of a group of fewer than k visitors never reach the page:
// a lone visitor's pages, referrer and campaign are folded into "(other)".
func TestStatsDashboard(t *testing.T) {
	e := newEnv(t)
	statsFixture(t, e, true)

	e.scenarios(t, []scenario{
		{Name: "dashboard", Role: staff.Support, URL: "/admin/stats", Status: http.StatusForbidden},
		{Name: "dashboard", Role: staff.Marketing, URL: "/admin/stats", Status: http.StatusForbidden},
		{Name: "dashboard", Role: staff.ShopRole, URL: "/admin/stats", Status: http.StatusForbidden},
	})
	c, _ := e.signedIn("analyst@staff.example", staff.Analyst)
	var rows []scenario
	for _, path := range []string{"/admin/stats", "/admin/stats?range=7d", "/admin/stats?range=today", "/admin/stats?range=month",
		"/admin/stats?range=custom&from=2020-01-01&to=2020-01-31", "/admin/stats?range=custom&from=bad"} {
		rows = append(rows, scenario{Name: "a lone visitor is never singled out", As: c, URL: path,
			Status: http.StatusOK, NotContains: []string{"lonely-", "2001:db8", "198.51.100"}})
	}
	e.scenarios(t, rows)
	r := c.get("/admin/stats?range=7d")
	for _, s := range []string{"<h1>Statistics</h1>", `href="/admin/stats"`, "<svg class=\"chart-svg\"", "<title id=\"chart-title\">",
		"Top pages", "/pricing", "(other)", "&lt; 5", "Groups of fewer than 5 visitors are folded into (other) so no one can be singled out",
		"Visitors", "Bounce rate", "Visit duration", "shop.example.com"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the dashboard lacks %q", s)
		}
	}
	if strings.Contains(r.body, "style=") {
		t.Error("the dashboard uses an inline style: the CSP forbids it")
	}
	if r := c.get("/admin/stats?range=custom&from=2020-01-01&to=2020-01-31"); !strings.Contains(r.body, "No visits in this range") {
		t.Error("an empty range lacks its empty state")
	}
	if r := c.get("/admin/"); !strings.Contains(r.body, `<a class="tile" href="/admin/stats">`) {
		t.Error("the analyst's home lacks the statistics tile")
	}
}

func TestStatsDashboardWithoutSites(t *testing.T) {
	e := newEnv(t)
	statsFixture(t, e, false)
	c, _ := e.signedIn("analyst@staff.example", staff.Analyst)
	r := c.get("/admin/stats")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "candor sites add NAME --domain example.com") {
		t.Error("no empty state telling how to add a site")
	}
}
