package web

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// liveFixture is statsFixture with a live counter: an aggregator that has seen n
// visitors of the site "shop" just now.
func liveFixture(t *testing.T, e *env, n int) (*analytics.Aggregator, analytics.Site) {
	t.Helper()
	statsFixture(t, e, true)
	site, err := analytics.NewSites(sqldb.AnalyticsStore{DB: e.db}, nil).ByName(e.ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	agg := analytics.NewAggregator(sqldb.AnalyticsStore{DB: e.db}, analytics.Options{MinCount: 5})
	for v := range n {
		agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/", IP: netip.AddrFrom4([4]byte{192, 0, 2, byte(v + 1)}),
			UserAgent: visitUA, Time: time.Now()})
	}
	e.srv.statsPages.live = agg
	return agg, site
}

// Promise: the dashboard and the API show the visitors of the last five minutes, and
// fewer than k of them only as "< k".
func TestStatsLiveVisitors(t *testing.T) {
	e := newEnv(t)
	agg, site := liveFixture(t, e, 3)
	analyst, _ := e.signedIn("analyst@staff.example", staff.Analyst)
	r := analyst.get("/admin/stats")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, `<strong class="num">&lt; 5</strong> visitors in the last 5 minutes`) {
		t.Fatalf("three live visitors are not shown as < 5:\n%s", r.body)
	}
	_, secret, err := e.srv.statsPages.statsTokens.Create(e.ctx, staff.Principal{ID: 1, Role: staff.Analyst, Name: "staff:1"}, "live", 0)
	if err != nil {
		t.Fatal(err)
	}
	api := e.client()
	api.hdr.Set("Authorization", "Bearer "+secret)
	if r := api.get("/api/stats?site=shop"); !strings.Contains(r.body, `"live_visitors":{"suppressed":true}`) {
		t.Fatalf("/api/stats with 3 live visitors: %.300s", r.body)
	}
	for v := 10; v < 13; v++ {
		agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/", IP: netip.AddrFrom4([4]byte{192, 0, 2, byte(v)}),
			UserAgent: visitUA, Time: time.Now()})
	}
	if r := analyst.get("/admin/stats"); !strings.Contains(r.body, `<strong class="num">6</strong> visitors in the last 5 minutes`) {
		t.Fatalf("six live visitors are not shown:\n%s", r.body)
	}
	if r := api.get("/api/stats?site=shop"); !strings.Contains(r.body, `"live_visitors":{"visitors":6}`) {
		t.Fatalf("/api/stats with 6 live visitors: %.300s", r.body)
	}
}

// Promise: a member who may see the statistics opts in to the weekly mail of a site
// on the dashboard, and out again; others cannot.
func TestStatsWeeklyOptIn(t *testing.T) {
	e := newEnv(t)
	_, site := liveFixture(t, e, 0)
	store := sqldb.AnalyticsStore{DB: e.db}
	e.srv.statsPages.statsMail = analytics.NewWeekly(sqldb.StatsReportStore{DB: e.db}, analytics.NewReports(store, 5, analytics.WeeklyTopN),
		nil, e.srv.auditPages.audit, analytics.WeeklyOptions{})
	analyst, _ := e.signedIn("analyst@staff.example", staff.Analyst)
	const box = `name="weekly"> Email me a weekly summary`
	if r := analyst.get("/admin/stats"); !strings.Contains(r.body, box) {
		t.Fatalf("no unticked opt-in on the dashboard:\n%s", r.body)
	}
	id := strconv.FormatInt(site.ID, 10)
	r := analyst.post("/admin/stats/report-subscription", url.Values{"site": {id}, "weekly": {"on"}})
	wantRedirect(t, r, "/admin/stats?done=weekly-on&site="+id)
	r = analyst.get("/admin/stats?done=weekly-on&site=" + id)
	if !strings.Contains(r.body, `name="weekly" checked> Email me a weekly summary`) || !strings.Contains(r.body, "You will receive a weekly summary") {
		t.Fatalf("the opt-in is not ticked after saving:\n%s", r.body)
	}
	wantRedirect(t, analyst.post("/admin/stats/report-subscription", url.Values{"site": {id}}), "/admin/stats?done=weekly-off&site="+id)
	if r := analyst.get("/admin/stats"); !strings.Contains(r.body, box) {
		t.Fatal("the opt-in is still ticked after unticking it")
	}
	e.scenarios(t, []scenario{
		{Name: "an unknown site", As: analyst, URL: "/admin/stats/report-subscription", Form: url.Values{"site": {"9999"}, "weekly": {"on"}}, Status: http.StatusNotFound},
		{Name: "no statistics permission", Role: staff.Support, URL: "/admin/stats/report-subscription", Form: url.Values{"site": {id}, "weekly": {"on"}}, Status: http.StatusForbidden},
	})
}
