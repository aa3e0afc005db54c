package e2e

import (
	"context"
	"net/http"
	"net/netip"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
)

// statsDB opens the installation's database, for tests that record or read aggregates
// directly; it is closed when the test ends.
func (in *install) statsDB() *sqldb.DB {
	in.t.Helper()
	dsn := in.dsn
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(in.dir, "candor.db")
	}
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		in.t.Fatal(err)
	}
	in.t.Cleanup(func() { db.Close() })
	return db
}

// sixVisitors records six visitors of site 1 on day, as a server's aggregator would.
func (in *install) sixVisitors(day time.Time) {
	in.t.Helper()
	ctx := context.Background()
	db := in.statsDB()
	agg := analytics.NewAggregator(sqldb.AnalyticsStore{DB: db}, analytics.Options{Now: func() time.Time { return day }})
	for v := range 6 {
		agg.Record(analytics.Hit{SiteID: 1, Kind: analytics.KindPageview, Path: "/", IP: netip.AddrFrom4([4]byte{8, 8, 8, byte(v)}),
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", Time: day})
	}
	if err := agg.Flush(ctx); err != nil {
		in.t.Fatal(err)
	}
	db.Close()
}

// Promise: the small-count threshold is the operator's to raise (--stats-k), and it
// reaches every way out of the statistics: `candor stats`, the JSON API and the CSV.
// And API tokens are managed from the command line: printed once, listed without their
// secret, revoked with immediate effect on a running server.
func TestStatsThresholdAndTokenCommands(t *testing.T) {
	in := newInstall(t)
	args := func(a ...string) []string { return append(a, in.args()...) }
	if out, err := in.candor("", nil, args("migrate")...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := in.candor("", nil, args("sites", "add", "northwind", "--domain", "northwind.example")...); err != nil {
		t.Fatalf("sites add: %v\n%s", err, out)
	}
	today := time.Now().UTC()
	in.sixVisitors(today)
	d := today.Format(time.DateOnly)
	stats := args("stats", "--site", "northwind", "--from", d, "--to", d, "--json")
	if out, err := in.candor("", nil, stats...); err != nil || !strings.Contains(out, `"visitors": 6`) || !strings.Contains(out, `"min_count": 5`) {
		t.Errorf("k=5: six visitors should show: %v\n%s", err, out)
	}
	if out, err := in.candor("", nil, append(stats, "--stats-k", "7")...); err != nil || strings.Contains(out, `"visitors": 6`) || !strings.Contains(out, `"min_count": 7`) {
		t.Errorf("k=7: six visitors should be suppressed: %v\n%s", err, out)
	}

	out, err := in.candor("", nil, args("stats", "token", "add", "--name", "report script", "--site", "northwind")...)
	secret := regexp.MustCompile(`cst_[A-Za-z0-9_-]{43}`).FindString(out)
	if err != nil || secret == "" {
		t.Fatalf("token add: %v\n%s", err, out)
	}
	in.canary(secret)
	if out, err := in.candor("", nil, args("stats", "token", "list")...); err != nil || strings.Contains(out, secret) || !strings.Contains(out, "report script") {
		t.Errorf("token list: %v\n%s", err, out)
	}
	s := in.serve("--stats-k", "7")
	b := s.browser()
	get := func(path string) resp {
		req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return b.do(req)
	}
	r := get("/api/stats?site=northwind&from=" + d + "&to=" + d)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"min_count":7`) || !strings.Contains(r.body, `"totals":{"suppressed":true}`) {
		t.Errorf("API with k=7: %d\n%s", r.StatusCode, r.body)
	}
	if r := get("/api/stats.csv?site=northwind&from=" + d + "&to=" + d); !strings.Contains(r.body, "northwind,"+d+","+d+",total,,< 7,< 7,< 7,< 7") {
		t.Errorf("CSV with k=7:\n%s", r.body)
	}
	if out, err := in.candor("", nil, args("stats", "token", "revoke", "1")...); err != nil || !strings.Contains(out, "revoked token 1") {
		t.Fatalf("token revoke: %v\n%s", err, out)
	}
	if r := get("/api/stats?site=northwind"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked on the command line, the running server still answers: %d", r.StatusCode)
	}
	s.stop()
}
