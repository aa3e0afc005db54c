package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/cli"
	"github.com/candor-dev/candor/internal/testkit/canary"
)

// TestStatsDashboard is an analyst's look at the statistics in a real browser: the demo
// site's month of sample visits, the dashboard with its server-drawn SVG chart and its
// tables, the visitors of the last 5 minutes after a visit to the demo site, and the
// CSV download link; every page without a console error, a CSP violation or a request
// to another host.
func TestStatsDashboard(t *testing.T) {
	chromiumPath(t)
	data := t.TempDir()
	const analyst, password = "ana.analyst@example.com", "aggregate figures only 7"
	run := func(stdin string, args ...string) {
		t.Helper()
		out := &canary.Buffer{}
		err := cli.Run(context.Background(), append(args, "--data-dir", data),
			cli.Env{Getenv: func(string) string { return "" }, Stdin: strings.NewReader(stdin), Stdout: out, Stderr: out})
		if err != nil {
			t.Fatalf("candor %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
	}
	run("", "migrate")
	run(password+"\n", "staff", "add", "--email", analyst, "--role", "analyst")
	srv := startServerWith(t, data, "--stats-k", "2")
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }

	b.open("/") // one visit now, counted by the demo site's own tracker
	waitHits(t, srv.URL, 1)
	signIn(b, analyst, password)
	b.open("/admin/stats?site=demo")
	b.wantHeading("Statistics")
	if n := b.count(`figure.chart svg.chart-svg path, figure.chart svg.chart-svg rect, figure.chart svg.chart-svg polyline`); n == 0 {
		t.Fatal("the dashboard's chart draws nothing")
	}
	if n := b.count(`.stats-table table tbody tr`); n < 5 {
		t.Fatalf("the dashboard shows %d table rows; the demo's month of visits should fill its tables", n)
	}
	if n := b.count(`a[href^="/admin/stats/export.csv"]`); n != 1 {
		t.Errorf("%d CSV download links", n)
	}
	if n := b.count(`script`); n != 0 {
		t.Errorf("the dashboard loads %d scripts; its charts are drawn on the server", n)
	}
	b.shoot("stats-dashboard", true)
	check("statistics dashboard")

	// A goal, a filter by one country (a click on its row) and the chart by week.
	b.choose(`.goal-form select[name="kind"]`, "page")
	b.fill(`.goal-form input[name="value"]`, "/buy")
	b.submit(`.goal-form button[type="submit"]`)
	if got := b.text(`.stats-goals tbody th`); !strings.Contains(got, "Page: /buy") {
		t.Errorf("the goal reads %q", got)
	}
	b.open("/admin/stats?site=demo&range=30d&by=week")
	b.submit(`.stats-table a.filter-link[href*="filter=country"]`)
	if got := b.text(`.stats-filter`); !strings.Contains(got, "Filtered by Country") || !strings.Contains(got, "not cross-filtered") {
		t.Errorf("the filter's note reads %q", got)
	}
	if n := b.count(`figure.chart svg.chart-svg .dot`); n < 4 || n > 6 {
		t.Errorf("the weekly chart of 30 days has %d points", n)
	}
	b.shoot("stats-filtered-weekly", false)
	day := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly) // the demo's sample visits end yesterday
	b.open("/admin/stats?site=demo&range=custom&from=" + day + "&to=" + day)
	if n := b.count(`figure.chart svg.chart-svg .dot`); n != 24 {
		t.Errorf("a day's chart has %d points, want one an hour", n)
	}
	b.shoot("stats-day-hourly", false)
	check("statistics goals, filter and steps")
}
