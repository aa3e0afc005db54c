package analytics_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

func TestSameVisitorTwiceADayIsOneVisitor(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	e.view(a, 1, "/", day0)
	e.view(a, 1, "/pricing", day0.Add(2*time.Hour)) // a second visit, same day
	flush(t, a)
	c, v := e.raw(t, day0, day0, analytics.DimTotal, "")
	if v != 1 || c.Pageviews != 2 || c.Visits != 2 || c.Bounces != 2 {
		t.Fatalf("got visitors %d, %+v; want 1 visitor, 2 page views, 2 visits, 2 bounces", v, c)
	}

	// The next day the salt is new: the same person counts again, and a week merges
	// the two days' sketches.
	e.clock.t = day0.Add(24 * time.Hour)
	e.view(a, 1, "/", e.clock.t)
	flush(t, a)
	if _, v := e.raw(t, day0, day0.Add(6*24*time.Hour), analytics.DimTotal, ""); v != 2 {
		t.Fatalf("week visitors = %d, want 2 (one per day: the salt changed)", v)
	}

	// A restart (new aggregator, new salt) the same day counts the person again.
	b := e.aggregator(analytics.Options{})
	e.view(b, 1, "/", e.clock.t.Add(time.Minute))
	flush(t, b)
	if _, v := e.raw(t, e.clock.t, e.clock.t, analytics.DimTotal, ""); v != 2 {
		t.Fatalf("visitors after restart = %d, want 2", v)
	}
}

func TestVisitsBouncesDuration(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	e.view(a, 1, "/a", day0) // one page: a bounce
	e.view(a, 2, "/a", day0) // three pages over 3 minutes
	e.view(a, 2, "/b", day0.Add(time.Minute))
	flush(t, a) // the visit spans two flushes
	e.view(a, 2, "/c", day0.Add(3*time.Minute))
	e.view(a, 3, "/b", day0) // two visits 31 minutes apart: two bounces
	e.view(a, 3, "/b", day0.Add(31*time.Minute))
	flush(t, a)

	c, v := e.raw(t, day0, day0, analytics.DimTotal, "")
	want := analytics.Counters{Pageviews: 6, Visits: 4, Bounces: 3, DurationMs: 3 * 60_000}
	if c != want || v != 3 {
		t.Fatalf("total = %+v, %d visitors; want %+v, 3 visitors", c, v, want)
	}
	for _, tc := range []struct {
		dim, value string
		want       analytics.Counters
	}{
		{analytics.DimPage, "/a", analytics.Counters{Pageviews: 2}},
		{analytics.DimPage, "/b", analytics.Counters{Pageviews: 3}},
		{analytics.DimEntry, "/a", analytics.Counters{Visits: 2, Bounces: 1, DurationMs: 180_000}},
		{analytics.DimEntry, "/b", analytics.Counters{Visits: 2, Bounces: 2}},
		{analytics.DimExit, "/a", analytics.Counters{Visits: 1}},
		{analytics.DimExit, "/b", analytics.Counters{Visits: 2}},
		{analytics.DimExit, "/c", analytics.Counters{Visits: 1}},
		{analytics.DimBrowser, "Chrome 126", analytics.Counters{Pageviews: 6, Visits: 4, Bounces: 3, DurationMs: 180_000}},
	} {
		if c, _ := e.raw(t, day0, day0, tc.dim, tc.value); c != tc.want {
			t.Errorf("%s %q = %+v, want %+v", tc.dim, tc.value, c, tc.want)
		}
	}
}

// A log read late carries hits of past days. A flush forgets the visits of days before
// yesterday together with the values they refer to (dayValues' invariant), so the same
// visitor's next hit of such a day starts a new visit: counted, never lost, never
// looked up in a day's values already forgotten.
func TestVisitsOfPastDaysEndWithTheirValues(t *testing.T) {
	e := newEnv(t)
	e.clock.t = day0.Add(3 * 24 * time.Hour)
	a := e.aggregator(analytics.Options{})
	e.view(a, 1, "/a", day0)
	e.view(a, 1, "/b", day0.Add(time.Minute)) // the same visit
	flush(t, a)
	e.view(a, 1, "/c", day0.Add(2*time.Minute)) // a new visit: the first has been forgotten
	e.view(a, 2, "/a", e.clock.t)               // today's visits are kept
	flush(t, a)
	e.view(a, 2, "/b", e.clock.t.Add(time.Minute))
	flush(t, a)

	if c, _ := e.raw(t, day0, day0, analytics.DimTotal, ""); c != (analytics.Counters{Pageviews: 3, Visits: 2, Bounces: 1, DurationMs: 60_000}) {
		t.Fatalf("the past day = %+v; want 3 page views in 2 visits, one a bounce", c)
	}
	if c, _ := e.raw(t, e.clock.t, e.clock.t, analytics.DimExit, "/b"); c.Visits != 1 {
		t.Fatalf("today's exit /b = %+v; want the visit that went on after a flush to end there", c)
	}
}

func TestBotsAndEvents(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	if !a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/", IP: ip(9), UserAgent: botUA, Time: day0}) {
		t.Fatal("a bot hit is accepted (and dropped), not refused")
	}
	a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindEvent, Event: "download" + strings.Repeat("x", 100), IP: ip(1), UserAgent: chromeUA, Time: day0})
	flush(t, a)
	if _, _, bots := a.Counts(); bots != 1 {
		t.Fatalf("bots = %d, want 1", bots)
	}
	c, _ := e.raw(t, day0, day0, analytics.DimTotal, "")
	if c != (analytics.Counters{Events: 1}) {
		t.Fatalf("total = %+v, want one event and no page view", c)
	}
	name := ("download" + strings.Repeat("x", 100))[:analytics.MaxEventName]
	if c, v := e.raw(t, day0, day0, analytics.DimEvent, name); c.Events != 1 || v != 1 {
		t.Fatalf("event %q = %+v, %d visitors", name, c, v)
	}
}

func TestFlushMergesAcrossFlushesAndDays(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	for d := range 7 {
		e.clock.t = day0.Add(time.Duration(d) * 24 * time.Hour)
		for v := range 10 {
			e.view(a, v, "/", e.clock.t)
			if v == 4 {
				flush(t, a) // one day's cell is written by two flushes
			}
		}
		flush(t, a)
	}
	c, v := e.raw(t, day0, day0.Add(6*24*time.Hour), analytics.DimPage, "/")
	if c.Pageviews != 70 || v != 70 { // a new salt every day: 10 new visitors a day
		t.Fatalf("week = %+v, %d visitors; want 70 page views, 70 visitors", c, v)
	}
	if c, v := e.raw(t, day0, day0, analytics.DimPage, "/"); c.Pageviews != 10 || v != 10 {
		t.Fatalf("day = %+v, %d visitors; want 10, 10", c, v)
	}
}

func TestCardinalityCapFoldsIntoOther(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{MaxValues: 3})
	for i := range 50 {
		e.view(a, 1, fmt.Sprintf("/spam/%d", i), day0)
	}
	flush(t, a)
	aggs, err := e.store.Stats(context.Background(), e.site.ID, analytics.DayOf(day0), analytics.DayOf(day0))
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]int64{}
	for _, ag := range aggs {
		if ag.Dim == analytics.DimPage {
			pages[ag.Value] = ag.Counters.Pageviews
		}
	}
	if len(pages) != 4 || pages[analytics.Other] != 47 {
		t.Fatalf("pages = %v, want 3 values and (other) = 47", pages)
	}
}

func TestRecordRefusesWhenFull(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{MaxPending: 20, MaxValues: 1000})
	refused := 0
	for i := range 100 {
		if !a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: fmt.Sprintf("/p%d", i), IP: ip(1), UserAgent: chromeUA, Time: day0}) {
			refused++
		}
	}
	if n, _ := a.Pending(); n > 20+16 { // one hit adds at most 16 cells
		t.Fatalf("pending = %d, beyond the bound", n)
	}
	if _, r, _ := a.Counts(); refused == 0 || r != int64(refused) {
		t.Fatalf("refused %d, counted %d", refused, r)
	}
	flush(t, a)
	if !a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/", IP: ip(1), UserAgent: chromeUA, Time: day0}) {
		t.Fatal("after a flush, Record accepts again")
	}

	b := e.aggregator(analytics.Options{MaxVisits: 5})
	ok := 0
	for v := range 10 {
		if b.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/", IP: ip(v), UserAgent: chromeUA, Time: day0}) {
			ok++
		}
	}
	if ok != 5 {
		t.Fatalf("accepted %d new visitors with MaxVisits 5", ok)
	}
	// Full of live visits, a new visitor is refused without a sweep each time (at most
	// one full pass a second); once the visits have gone idle, the next sweep makes room.
	e.clock.t = e.clock.t.Add(analytics.VisitIdle + time.Minute)
	at := e.clock.t
	if !b.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/", IP: ip(20), UserAgent: chromeUA, Time: at}) {
		t.Fatal("a new visitor after the others went idle was refused")
	}
}

// failing is a store that fails, to prove a failed flush keeps the aggregates.
type failing struct{ err error }

func (f failing) Merge(context.Context, []analytics.Aggregate) error { return f.err }

func TestFailedFlushKeepsAggregates(t *testing.T) {
	a := analytics.NewAggregator(failing{errors.New("down")}, analytics.Options{Now: func() time.Time { return day0 }})
	a.Record(analytics.Hit{SiteID: 1, Kind: analytics.KindPageview, Path: "/", IP: ip(1), UserAgent: chromeUA, Time: day0})
	before, _ := a.Pending()
	if err := a.Flush(context.Background()); err == nil {
		t.Fatal("flush to a failing store succeeded")
	}
	if after, _ := a.Pending(); after != before || after == 0 {
		t.Fatalf("pending %d → %d: a failed flush must keep every aggregate", before, after)
	}
}

func TestRunFlushesOnShutdown(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{FlushEvery: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx) }()
	e.view(a, 1, "/", day0)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c, _ := e.raw(t, day0, day0, analytics.DimTotal, ""); c.Pageviews != 1 {
		t.Fatalf("after shutdown total = %+v, want the pending page view flushed", c)
	}
}

func TestNoIPOrUserAgentOnDisk(t *testing.T) {
	if os.Getenv(dbtest.PostgresEnv) != "" {
		t.Skip("searches the SQLite files")
	}
	dir := t.TempDir()
	e := openEnv(t, "sqlite:"+filepath.Join(dir, "candor.db"))
	const ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 CanaryUA-7f3a91"
	a := e.aggregator(analytics.Options{})
	for i := range 20 {
		a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/", Referrer: "https://news.example.org/x",
			IP: ip(77), UserAgent: ua, Time: day0.Add(time.Duration(i) * time.Minute)})
	}
	a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindEvent, Event: "download", IP: ip(77), UserAgent: ua, Time: day0})
	flush(t, a)
	if c, _ := e.raw(t, day0, day0, analytics.DimTotal, ""); c.Pageviews != 20 {
		t.Fatalf("flow did not reach the database: %+v", c)
	}
	canary.AssertAbsent(t, "analytics stores no IP address or user agent", []string{dir}, ip(77).String(), "CanaryUA-7f3a91", ua)
}
