package analytics_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

const (
	chromeUA  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	firefoxUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	botUA     = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

var day0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

type env struct {
	db      *sqldb.DB
	store   sqldb.AnalyticsStore
	sites   *analytics.Sites
	reports *analytics.Reports
	site    analytics.Site
	clock   *clock
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return openEnv(t, dbtest.DSN(t))
}

// openEnv opens, migrates and fills a database at dsn.
func openEnv(t testing.TB, dsn string) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, store: sqldb.AnalyticsStore{DB: db}, clock: &clock{day0}}
	e.sites = analytics.NewSites(e.store, e.clock.Now)
	e.reports = analytics.NewReports(e.store, 0, 0)
	if e.site, err = e.sites.Add(context.Background(), staff.CLI, "example", "example.com"); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) aggregator(o analytics.Options) *analytics.Aggregator {
	o.Now = e.clock.Now
	o.SiteHost = e.sites.Host
	return analytics.NewAggregator(e.store, o)
}

// ip returns the n-th test visitor's address (TEST-NET-2).
func ip(n int) netip.Addr { return netip.AddrFrom4([4]byte{198, 51, 100, byte(n)}) }

func (e *env) view(a *analytics.Aggregator, visitor int, path string, at time.Time) {
	ok := a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: path,
		IP: ip(visitor), UserAgent: chromeUA, Time: at})
	if !ok {
		panic("Record refused")
	}
}

func flush(t testing.TB, a *analytics.Aggregator) {
	t.Helper()
	if err := a.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// raw sums the stored aggregates of one dimension value over days [from, to], with
// their visitors: what the tables hold, before suppression.
func (e *env) raw(t testing.TB, from, to time.Time, dim, value string) (analytics.Counters, uint64) {
	t.Helper()
	aggs, err := e.store.Stats(context.Background(), e.site.ID, analytics.DayOf(from), analytics.DayOf(to))
	if err != nil {
		t.Fatal(err)
	}
	var c analytics.Counters
	var visitors int64
	for _, ag := range aggs {
		if ag.Dim != dim || ag.Value != value {
			continue
		}
		c.Pageviews += ag.Counters.Pageviews
		c.Visits += ag.Counters.Visits
		c.Bounces += ag.Counters.Bounces
		c.DurationMs += ag.Counters.DurationMs
		c.Events += ag.Counters.Events
		visitors += ag.Visitors
	}
	return c, uint64(visitors)
}
