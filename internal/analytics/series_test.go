package analytics_test

import (
	"context"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Promise: the chart's daily series shows each day's visitors and page views, and a day
// that stands for fewer than k visitors shows "< k", never its figures. Runs on the
// dialect testkit/dbtest chooses (CANDOR_TEST_POSTGRES for PostgreSQL).
func TestDailySeriesSuppressesSmallDays(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	// day0: six visitors, two page views each; day0+1: nothing; day0+2: one visitor.
	e.clock.t = day0
	for v := range 6 {
		e.view(a, v, "/", day0)
		e.view(a, v, "/about", day0.Add(time.Minute))
	}
	flush(t, a)
	lone := day0.Add(48 * time.Hour)
	e.clock.t = lone
	e.view(a, 99, "/", lone)
	e.view(a, 99, "/secret", lone.Add(time.Minute))
	flush(t, a)

	analyst := staff.Principal{ID: 3, Role: staff.Analyst}
	pts, err := e.reports.Daily(context.Background(), analyst, e.site.ID, day0.Add(-24*time.Hour), lone)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 {
		t.Fatalf("got %d points, want 4: %+v", len(pts), pts)
	}
	for i, p := range pts {
		if want := time.Date(2026, 3, 1+i, 0, 0, 0, 0, time.UTC); !p.Day.Equal(want) {
			t.Errorf("point %d day = %v, want %v", i, p.Day, want)
		}
	}
	if p := pts[0]; p.Visitors != 0 || p.Pageviews != 0 || p.Suppressed {
		t.Errorf("empty day = %+v, want plain zeros", p)
	}
	if p := pts[1]; p.Visitors != 6 || p.Pageviews != 12 || p.Suppressed {
		t.Errorf("busy day = %+v, want 6 visitors and 12 page views", p)
	}
	if p := pts[2]; p.Visitors != 0 || p.Suppressed {
		t.Errorf("quiet day = %+v", p)
	}
	if p := pts[3]; !p.Suppressed || p.Visitors != 0 || p.Pageviews != 0 {
		t.Errorf("the one-visitor day = %+v, want suppressed with zeros", p)
	}

	for _, who := range []staff.Principal{{ID: 4, Role: staff.Support}, {ID: 5, Role: staff.Marketing}, {}} {
		if _, err := e.reports.Daily(context.Background(), who, e.site.ID, day0, day0); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%q: err = %v, want forbidden", who.Role, err)
		}
	}
	if _, err := e.reports.Daily(context.Background(), analyst, e.site.ID, lone, day0); !errs.Is(err, errs.Invalid) {
		t.Errorf("backwards range: err = %v, want invalid", err)
	}
}
