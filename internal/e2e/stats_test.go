package e2e

import (
	"context"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/cli"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/canary"
)

// Promise: the vendor adds a site and reads its statistics from the command line; the
// numbers are right, a lone visitor is never singled out, and no IP address or user
// agent reaches the database files.
func TestSitesAndStatsCommands(t *testing.T) {
	in := newInstall(t)
	args := func(a ...string) []string { return append(a, in.args()...) }
	if out, err := in.candor("", nil, args("migrate")...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	out, err := in.candor("", nil, args("sites", "add", "northwind", "--domain", "https://www.Northwind.example/")...)
	if err != nil || !strings.Contains(out, "added site 1: northwind (northwind.example)") {
		t.Fatalf("sites add: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		argv []string
		want string
		exit int
	}{
		{[]string{"sites", "add", "again", "--domain", "northwind.example"}, "already exists", 1},
		{[]string{"sites", "add", "Bad Name", "--domain", "x.example"}, "NAME:", 1},
		{[]string{"sites", "add", "nodomain"}, "needs a NAME and --domain", 2},
		{[]string{"stats"}, "needs --site", 2},
		{[]string{"stats", "--site", "nosuch"}, `no site named "nosuch"`, 1},
		{[]string{"stats", "--site", "northwind", "--from", "2026-13-01"}, "--from must be YYYY-MM-DD", 2},
		{[]string{"stats", "--site", "northwind", "--from", "2026-03-05", "--to", "2026-03-01"}, "range must run forwards", 1},
	} {
		_, err := in.candor("", nil, args(tc.argv...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || cli.ExitCode(err) != tc.exit {
			t.Errorf("%v: %v (exit %d); want %q, exit %d", tc.argv, err, cli.ExitCode(err), tc.want, tc.exit)
		}
	}
	out, err = in.candor("", nil, args("sites", "list")...)
	if err != nil || !strings.Contains(out, "northwind.example") {
		t.Fatalf("sites list: %v\n%s", err, out)
	}

	// Visits, recorded by the aggregator a server runs: eight ordinary visitors and one
	// whose every attribute is unique.
	const lonerUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 LonerCanary"
	loner := netip.MustParseAddr("203.0.113.201")
	day := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	dsn := in.dsn
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(in.dir, "candor.db")
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	store := sqldb.AnalyticsStore{DB: db}
	agg := analytics.NewAggregator(store, analytics.Options{Now: func() time.Time { return day }})
	for v := range 8 {
		ip := netip.AddrFrom4([4]byte{198, 51, 100, byte(v)})
		ua := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
		agg.Record(analytics.Hit{SiteID: 1, Kind: analytics.KindPageview, Path: "/", Referrer: "https://www.google.com/", IP: ip, UserAgent: ua, Time: day})
		agg.Record(analytics.Hit{SiteID: 1, Kind: analytics.KindPageview, Path: "/download", IP: ip, UserAgent: ua, Time: day.Add(2 * time.Minute)})
		agg.Record(analytics.Hit{SiteID: 1, Kind: analytics.KindEvent, Event: "download", IP: ip, UserAgent: ua, Time: day.Add(2 * time.Minute)})
	}
	agg.Record(analytics.Hit{SiteID: 1, Kind: analytics.KindPageview, Path: "/loner-only", Referrer: "https://loner.example.net/",
		UTMCampaign: "loner-campaign", IP: loner, UserAgent: lonerUA, Time: day})
	if err := agg.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out, err = in.candor("", nil, args("stats", "--site", "northwind", "--from", "2026-03-01", "--to", "2026-03-07")...)
	if err != nil {
		t.Fatalf("stats: %v\n%s", err, out)
	}
	for _, want := range []string{"northwind (northwind.example), 2026-03-01 to 2026-03-07", "visitors        9", "page views      17",
		"visits          9", "bounce rate     11%", "visit duration  1m47s", "PAGE", "/download", "(other)    < 5       < 5", "BROWSER", "Chrome 126", "EVENT", "download"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats output lacks %q:\n%s", want, out)
		}
	}
	for _, leak := range []string{"loner", "Firefox", "Linux"} {
		if strings.Contains(out, leak) {
			t.Errorf("stats singles out the lone visitor (%q):\n%s", leak, out)
		}
	}
	out, err = in.candor("", nil, args("stats", "--site", "northwind", "--from", "2026-03-02", "--to", "2026-03-02", "--json")...)
	if err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	var rep struct {
		Site     string           `json:"site"`
		MinCount int              `json:"min_count"`
		Totals   analytics.Totals `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Site != "northwind" || rep.MinCount != 5 || rep.Totals.Pageviews != 17 {
		t.Errorf("stats --json: %v %+v\n%s", err, rep, out)
	}
	if strings.Contains(out, "loner") {
		t.Errorf("stats --json singles out the lone visitor:\n%s", out)
	}
	if in.dsn == "" {
		canary.AssertAbsent(t, "statistics store no IP address or user agent", []string{in.dir}, loner.String(), "LonerCanary", lonerUA)
	}
}
