package web

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/analytics/geo"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/geodb"
)

// Promise: the Regions and Cities tables appear with a city database (or when the range
// holds such rows), not otherwise; the lone visitor of no known city is folded into
// (other) like any value too small to show.
func TestStatsRegionsAndCities(t *testing.T) {
	e := newEnv(t)
	statsFixture(t, e, true) // counted without a city database
	c, _ := e.signedIn("analyst@staff.example", staff.Analyst)
	r := c.get("/admin/stats?range=7d")
	want(t, r, http.StatusOK)
	for _, title := range []string{"<h2>Regions</h2>", "<h2>Cities</h2>"} {
		if strings.Contains(r.body, title) {
			t.Errorf("without --geoip-city the dashboard shows %s", title)
		}
	}
	e.srv.cfg.GeoIPCity = "city.mmdb"
	if r := c.get("/admin/stats?range=7d"); !strings.Contains(r.body, "<h2>Cities</h2>") {
		t.Error("with --geoip-city the dashboard lacks the Cities table")
	}
	e.srv.cfg.GeoIPCity = ""

	db, err := geo.Open(geodb.Write(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := sqldb.AnalyticsStore{DB: e.db}
	site, err := analytics.NewSites(store, nil).Add(e.ctx, staff.CLI, "blog", "blog.example.com")
	if err != nil {
		t.Fatal(err)
	}
	agg := analytics.NewAggregator(store, analytics.Options{Geo: db.Lookup})
	now := time.Now().UTC()
	const ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	for v := range 6 {
		agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/", IP: netip.AddrFrom4([4]byte{203, 0, 113, byte(v + 1)}), UserAgent: ua, Time: now})
	}
	agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/", IP: netip.MustParseAddr("198.51.100.9"), UserAgent: ua, Time: now})
	if err := agg.Flush(e.ctx); err != nil {
		t.Fatal(err)
	}
	r = c.get("/admin/stats?range=7d&site=" + strconv.FormatInt(site.ID, 10))
	want(t, r, http.StatusOK)
	for title, value := range map[string]string{"Regions": geodb.Region, "Cities": geodb.City} {
		_, table, _ := strings.Cut(r.body, "<h2>"+title+"</h2>")
		table, _, _ = strings.Cut(table, "</section>")
		if !strings.Contains(table, value) || !strings.Contains(table, "(other)") || strings.Contains(table, "Unknown") {
			t.Errorf("the %s table should show %s and fold the lone visitor into (other): %s", title, value, table)
		}
	}
}
