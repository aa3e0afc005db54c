package analytics_test

import (
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

var analyst = staff.Principal{ID: 7, Role: staff.Analyst, Name: "staff:7"}

func liveOf(t *testing.T, a *analytics.Aggregator, site int64) analytics.LiveVisitors {
	t.Helper()
	lv, err := a.Live(analyst, site)
	if err != nil {
		t.Fatal(err)
	}
	return lv
}

func TestLiveVisitorsCountDistinctAndExpire(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{MinCount: 2})
	start := day0 // 09:00:00
	for v := 1; v <= 3; v++ {
		e.view(a, v, "/", start)
	}
	e.clock.t = start.Add(2 * time.Minute)
	e.view(a, 1, "/pricing", e.clock.t) // the same visitor again: still three
	ev := analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindEvent, Event: "signup", IP: ip(4), UserAgent: firefoxUA, Time: e.clock.t}
	if !a.Record(ev) { // an event counts its visitor too
		t.Fatal("Record refused")
	}
	if got := liveOf(t, a, e.site.ID); got != (analytics.LiveVisitors{Visitors: 4}) {
		t.Fatalf("live = %+v, want 4 visitors", got)
	}
	if got := liveOf(t, a, e.site.ID+1); !got.Suppressed {
		t.Fatalf("another site: %+v, want suppressed (no visitor)", got)
	}

	// Visitors 2 and 3 were last seen at 09:00:00: counted until 09:04:59, gone at 09:05.
	e.clock.t = start.Add(5*time.Minute - time.Second)
	if got := liveOf(t, a, e.site.ID); got.Visitors != 4 {
		t.Fatalf("at 4m59s: %+v, want 4", got)
	}
	e.clock.t = start.Add(5 * time.Minute)
	if got := liveOf(t, a, e.site.ID); got.Visitors != 2 {
		t.Fatalf("at 5m: %+v, want 2 (visitors 1 and 4, seen at 09:02)", got)
	}
	e.clock.t = start.Add(7 * time.Minute)
	if got := liveOf(t, a, e.site.ID); !got.Suppressed || got.Visitors != 0 {
		t.Fatalf("at 7m: %+v, want suppressed with no number", got)
	}
}

func TestLiveVisitorsSuppressedBelowK(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{MinCount: 5})
	for v := 1; v <= 4; v++ {
		e.view(a, v, "/", day0)
	}
	if got := liveOf(t, a, e.site.ID); got != (analytics.LiveVisitors{Suppressed: true}) {
		t.Fatalf("4 visitors, k 5: %+v, want suppressed", got)
	}
	e.view(a, 5, "/", day0)
	if got := liveOf(t, a, e.site.ID); got != (analytics.LiveVisitors{Visitors: 5}) {
		t.Fatalf("5 visitors, k 5: %+v, want 5", got)
	}
	// Bots and hits read late from a log are not live.
	a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/", IP: ip(9), UserAgent: botUA, Time: day0})
	e.view(a, 10, "/", day0.Add(-time.Hour))
	if got := liveOf(t, a, e.site.ID); got.Visitors != 5 {
		t.Fatalf("after a bot and an old log line: %+v, want 5", got)
	}
	if _, err := a.Live(staff.Principal{ID: 8, Role: staff.Support, Name: "staff:8"}, e.site.ID); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("support role: err %v, want forbidden", err)
	}
}
