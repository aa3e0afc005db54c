package analytics_test

import (
	"context"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/staff"
)

func TestSectionOf(t *testing.T) {
	for in, want := range map[string]string{"/": "/", "/blog": "/blog", "/blog/": "/blog", "/blog/2026/hello": "/blog",
		"/search?q=x": "/search", "": "/", "(other)": "/"} {
		if got := analytics.SectionOf(in); got != want {
			t.Errorf("SectionOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// Promise: a section counts its own distinct visitors, not the sum of its pages'; the
// hourly chart is the site's total per hour; a week sums its days; a filter's totals
// and chart are that value's own, and below k a filtered step is suppressed whether or
// not anyone stands behind it; goals report visitors and conversion, suppressed below k.
func TestSectionsStepsFilterGoals(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	ctx, analyst := context.Background(), staff.Principal{ID: 3, Role: staff.Analyst}
	// day0 09:00: six visitors read two blog posts each; day0 10:00: one reads /lone.
	for v := range 6 {
		e.view(a, v, "/blog/one", day0)
		e.view(a, v, "/blog/two", day0.Add(time.Minute))
	}
	e.view(a, 50, "/lone", day0.Add(time.Hour))
	// day0+1 (Tuesday): the six again, on /blog/one.
	e.clock.t = day0.Add(24 * time.Hour)
	for v := range 6 {
		e.view(a, v, "/blog/one", e.clock.t)
	}
	flush(t, a)

	rep, err := e.reports.Report(ctx, analyst, e.site.ID, day0, day0, analytics.Scope{
		Filter: analytics.Filter{Dim: analytics.DimSection, Value: "/blog"},
		Goals:  []analytics.Goal{{Kind: analytics.GoalPage, Value: "/blog/two"}, {Kind: analytics.GoalPage, Value: "/lone"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Dimensions {
		if d.Name == analytics.DimSection && (len(d.Rows) == 0 || d.Rows[0].Value != "/blog" || d.Rows[0].Visitors != 6 || d.Rows[0].Pageviews != 12) {
			t.Errorf("sections: %+v; want /blog with 6 visitors, 12 page views", d.Rows)
		}
	}
	if f := rep.Filtered; f == nil || f.Totals.Suppressed || f.Totals.Visitors != 6 || f.Totals.Pageviews != 12 {
		t.Errorf("filtered totals: %+v", rep.Filtered)
	}
	if g := rep.Goals; len(g) != 2 || g[0].Suppressed || g[0].Visitors != 6 || g[0].Conversion < 0.85 || g[0].Conversion > 0.86 || !g[1].Suppressed {
		t.Errorf("goals: %+v; want /blog/two 6 of 7 visitors, /lone suppressed", g)
	}

	hours, err := e.reports.Series(ctx, analyst, e.site.ID, day0, day0, "", analytics.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if hours.By != analytics.ByHour || len(hours.Points) != 24 || hours.Points[9].Visitors != 6 || hours.Points[9].Pageviews != 12 ||
		!hours.Points[10].Suppressed || hours.Points[11].Suppressed {
		t.Errorf("hourly: %+v", hours)
	}
	week, err := e.reports.Series(ctx, analyst, e.site.ID, day0, day0.Add(24*time.Hour), analytics.ByWeek, analytics.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(week.Points) != 1 || week.Points[0].Visitors != 13 || week.Points[0].Pageviews != 19 {
		t.Errorf("week: %+v; want one week of 7+6 visitors, 13+6 page views", week)
	}
	for _, value := range []string{"/lone", "/nobody"} {
		s, err := e.reports.Series(ctx, analyst, e.site.ID, day0, day0.Add(24*time.Hour), "", analytics.Filter{Dim: analytics.DimPage, Value: value})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range s.Points {
			if !p.Suppressed || p.Visitors != 0 || p.Pageviews != 0 {
				t.Errorf("filter %s: %+v; want every day suppressed", value, s.Points)
			}
		}
	}
	if _, err := e.reports.Series(ctx, analyst, e.site.ID, day0, day0, analytics.ByHour, analytics.Filter{Dim: analytics.DimPage, Value: "/lone"}); err == nil {
		t.Error("an hourly chart of a filter was drawn; hours are kept for the total only")
	}
}

// Days counted before the hour dimension existed have no hours: their chart of one day
// is drawn by day, not as a flat line of empty hours.
func TestHourlyFallsBackToDays(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	old := analytics.Aggregate{SiteID: e.site.ID, Day: analytics.DayOf(day0), Dim: analytics.DimTotal, Visitors: 6, Counters: analytics.Counters{Pageviews: 9, Visits: 6}}
	if err := e.store.Merge(ctx, []analytics.Aggregate{old}); err != nil {
		t.Fatal(err)
	}
	s, err := e.reports.Series(ctx, staff.Principal{ID: 3, Role: staff.Analyst}, e.site.ID, day0, day0, "", analytics.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if s.By != analytics.ByDay || len(s.Points) != 1 || s.Points[0].Visitors != 6 {
		t.Errorf("series: %+v; want one day of 6 visitors", s)
	}
}
