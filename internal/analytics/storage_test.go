package analytics_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/axiomhq/hyperloglog"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/staff"
)

var staffAnalyst = staff.Principal{ID: 3, Role: staff.Analyst}

// The aggregator keeps a cell's sketch across flushes while the salt lives: a visitor
// seen again after a flush is not counted again, though only counts are stored.
func TestSameVisitorAcrossFlushesCountsOnce(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	e.view(a, 1, "/", day0)
	e.view(a, 2, "/", day0)
	flush(t, a)
	e.view(a, 1, "/", day0.Add(time.Hour)) // a new visit, after the flush
	flush(t, a)
	e.view(a, 1, "/", day0.Add(2*time.Hour))
	e.view(a, 3, "/", day0.Add(2*time.Hour))
	flush(t, a)
	for _, dim := range []string{analytics.DimTotal, analytics.DimPage} {
		value := ""
		if dim == analytics.DimPage {
			value = "/"
		}
		if c, v := e.raw(t, day0, day0, dim, value); c.Pageviews != 5 || v != 3 {
			t.Errorf("%s = %+v, %d visitors; want 5 page views, 3 visitors", dim, c, v)
		}
	}
	if n, _ := a.Pending(); n != 0 {
		t.Errorf("pending after the flush = %d", n)
	}
}

// With counts instead of sketches in storage, the sum of folded values' visitors may
// count one person several times: (other) is shown only when one folded value alone
// stands for k visitors.
func TestOtherOfOnePersonsPagesIsSuppressed(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	for v := range 6 {
		e.view(a, v, "/", day0)
	}
	for p := range 8 { // one visitor, eight pages of their own: a sum of 8 "visitors"
		e.view(a, 99, fmt.Sprintf("/solo-%d", p), day0.Add(time.Duration(p)*time.Minute))
	}
	flush(t, a)
	rep, js := summary(t, e, day0, day0)
	for _, dim := range []string{analytics.DimPage, analytics.DimExit} {
		r := rows(rep, dim)
		if len(r) != 2 || r[0].Value != "/" || r[1] != (analytics.Row{Value: analytics.Other, Suppressed: true}) {
			t.Errorf("%s = %+v, want / and a suppressed (other): %s", dim, r, js)
		}
	}

	r := analytics.NewReports(e.store, 5, 1) // top 1: "/" shown, (other) holds a value of 6
	for v := range 6 {
		e.view(a, 10+v, "/b", day0)
	}
	flush(t, a)
	rep, err := r.Summary(context.Background(), staffAnalyst, e.site.ID, day0, day0)
	if err != nil {
		t.Fatal(err)
	}
	page := rows(rep, analytics.DimPage)
	if len(page) != 2 || page[1].Value != analytics.Other || page[1].Suppressed || page[1].Visitors < 6 || page[1].Visitors > rep.Totals.Visitors || page[1].Pageviews != 14 {
		t.Errorf("pages with top 1 = %+v (total %d visitors), want (other) shown with 6 to total visitors and 14 page views", page, rep.Totals.Visitors)
	}
}

// Rows of the stats table, written before migration 0008 with a sketch each, are still
// counted, added to what is stored since.
func TestReportsReadRowsWrittenBeforeMigration8(t *testing.T) {
	e := newEnv(t)
	sk := hyperloglog.New14()
	for i := range 7 {
		sk.InsertHash(uint64(i+1) * 0x9e3779b97f4a7c15)
	}
	b, err := sk.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	day := analytics.DayOf(day0)
	for _, row := range [][2]string{{analytics.DimTotal, ""}, {analytics.DimPage, "/"}} {
		if _, err := e.db.Exec(context.Background(), `INSERT INTO stats (site_id, day, dim, value, pageviews, visits, bounces, duration_ms, events, visitors_hll)
			VALUES (?, ?, ?, ?, 9, 7, 0, 0, 0, ?)`, e.site.ID, day, row[0], row[1], b); err != nil {
			t.Fatal(err)
		}
	}
	a := e.aggregator(analytics.Options{})
	e.view(a, 1, "/", day0.Add(time.Hour))
	flush(t, a)
	rep, _ := summary(t, e, day0, day0)
	if rep.Totals.Visitors != 8 || rep.Totals.Pageviews != 10 {
		t.Errorf("totals = %+v, want 8 visitors (7 before, 1 after), 10 page views", rep.Totals)
	}
	if page := rows(rep, analytics.DimPage); page[0].Value != "/" || page[0].Visitors != 8 || page[0].Pageviews != 10 {
		t.Errorf("pages = %+v", page)
	}
	pts, err := e.reports.Daily(context.Background(), staffAnalyst, e.site.ID, day0, day0)
	if err != nil || len(pts) != 1 || pts[0].Visitors != 8 || pts[0].Pageviews != 10 {
		t.Errorf("daily = %+v, %v", pts, err)
	}
}

// Reports over ranges that cover whole weeks read the weeks' roll-ups: they must count
// what the days count, whatever the range's first and last weekday.
func TestWeekRollUpsAgreeWithDays(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	start := day0.AddDate(0, 0, -3) // a Friday
	for d := range 24 {
		e.clock.t = start.AddDate(0, 0, d)
		for v := range 5 + d%4 {
			e.view(a, v, fmt.Sprintf("/p%d", (v+d)%7), e.clock.t)
			e.view(a, v, "/", e.clock.t.Add(time.Minute))
		}
		if d%3 == 0 {
			flush(t, a) // some flushes hold two days
		}
	}
	flush(t, a)
	for from := range 10 {
		for _, days := range []int{1, 6, 7, 8, 13, 14, 15} {
			f, to := start.AddDate(0, 0, from), start.AddDate(0, 0, from+days-1)
			rep, _ := summary(t, e, f, to)
			c, v := e.raw(t, f, to, analytics.DimTotal, "")
			if rep.Totals.Pageviews != c.Pageviews || rep.Totals.Visits != c.Visits || rep.Totals.Visitors != int64(v) {
				t.Errorf("%s + %d days: totals %+v, days say %+v and %d visitors", f.Format(time.DateOnly), days, rep.Totals, c, v)
			}
			for _, row := range rows(rep, analytics.DimPage) {
				if row.Value == analytics.Other {
					continue
				}
				if c, v := e.raw(t, f, to, analytics.DimPage, row.Value); row.Pageviews != c.Pageviews || row.Visitors != int64(v) {
					t.Errorf("%s + %d days: page %+v, days say %+v and %d visitors", f.Format(time.DateOnly), days, row, c, v)
				}
			}
		}
	}
}

// Record goes on while a flush merges the interval's sketches and writes: nothing is
// lost or counted twice (run with -race).
func TestRecordDuringFlushes(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 2000 {
			e.view(a, i%50, fmt.Sprintf("/p%d", i%7), day0.Add(time.Duration(i)*time.Second))
		}
	}()
	for flushing := true; flushing; {
		select {
		case <-done:
			flushing = false
		default:
		}
		flush(t, a)
	}
	if c, v := e.raw(t, day0, day0, analytics.DimTotal, ""); c.Pageviews != 2000 || v != 50 {
		t.Fatalf("total = %+v, %d visitors; want 2000 page views, 50 visitors", c, v)
	}
}

// A cell made before the salt changed (a hit timed after midnight, counted before the
// rotation) and then fed keys of the new salt keeps its sketch: the visitor seen again
// later is not counted again.
func TestCellSpanningASaltChangeKeepsItsSketch(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	midnight := day0.Truncate(24 * time.Hour).Add(24 * time.Hour)
	e.clock.t = midnight.Add(-time.Minute)
	e.view(a, 9, "/", midnight.Add(time.Minute)) // tomorrow's cells, today's salt
	flush(t, a)
	e.clock.t = midnight.Add(30 * time.Minute) // a new salt
	e.view(a, 1, "/", e.clock.t)
	flush(t, a)
	e.view(a, 1, "/", e.clock.t.Add(2*time.Hour)) // a second visit of the same visitor
	flush(t, a)
	if c, v := e.raw(t, midnight, midnight, analytics.DimTotal, ""); c.Pageviews != 3 || v != 2 {
		t.Fatalf("day = %+v, %d visitors; want 3 page views, 2 visitors", c, v)
	}
}
