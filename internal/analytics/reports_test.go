package analytics_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// crowdAndLoner records six ordinary visitors on day0 and day0+1, and on day0+1 one
// visitor whose every attribute is unique: the person a report must never single out.
func crowdAndLoner(t *testing.T, e *env) {
	t.Helper()
	a := e.aggregator(analytics.Options{})
	for d := range 2 {
		at := day0.Add(time.Duration(d) * 24 * time.Hour)
		e.clock.t = at
		for v := range 6 {
			a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/", Referrer: "https://www.google.com/search?q=x",
				Language: "en-GB", ScreenWidth: 1440, IP: ip(v), UserAgent: chromeUA, Time: at})
			a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/pricing",
				IP: ip(v), UserAgent: chromeUA, Time: at.Add(time.Minute)})
		}
		flush(t, a)
	}
	at := day0.Add(24*time.Hour + time.Hour)
	a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: "/only-me-page",
		Referrer: "https://loner-blog.example.net/post", Language: "is", ScreenWidth: 320,
		UTMSource: "loner", UTMCampaign: "loner-campaign",
		IP: netip.MustParseAddr("2001:db8::1"), UserAgent: firefoxUA, Time: at})
	a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindEvent, Event: "loner-event",
		IP: netip.MustParseAddr("2001:db8::1"), UserAgent: firefoxUA, Time: at})
	flush(t, a)
}

// lonerValues are the values only the lone visitor has, per dimension.
var lonerValues = map[string]string{analytics.DimPage: "/only-me-page", analytics.DimEntry: "/only-me-page",
	analytics.DimExit: "/only-me-page", analytics.DimReferrer: "loner-blog.example.net", analytics.DimSource: "referral",
	analytics.DimUTMCampaign: "loner-campaign", analytics.DimLanguage: "is", analytics.DimBrowser: "Firefox 128",
	analytics.DimOS: "Linux", analytics.DimScreen: "mobile", analytics.DimEvent: "loner-event"}

func summary(t *testing.T, e *env, from, to time.Time) (analytics.Report, string) {
	t.Helper()
	rep, err := e.reports.Summary(context.Background(), staff.Principal{ID: 3, Role: staff.Analyst}, e.site.ID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep)
	return rep, string(b)
}

func TestSuppressionHidesTheLoneVisitor(t *testing.T) {
	e := newEnv(t)
	crowdAndLoner(t, e)
	day1 := day0.Add(24 * time.Hour)
	// Every range an analyst could pick (the loner's day alone, both days, a week), every
	// dimension: nothing unique to the loner appears, and the crowd does.
	for _, r := range [][2]time.Time{{day1, day1}, {day0, day1}, {day0, day0.Add(6 * 24 * time.Hour)}} {
		rep, js := summary(t, e, r[0], r[1])
		for _, v := range []string{"only-me", "loner", "Firefox"} {
			if strings.Contains(js, v) {
				t.Errorf("range %s–%s: the report shows %q, which only the lone visitor has:\n%s", rep.From, rep.To, v, js)
			}
		}
		for _, d := range rep.Dimensions {
			for _, row := range d.Rows {
				if v, ok := lonerValues[d.Name]; ok && v == row.Value {
					t.Errorf("range %s–%s: %s %q, which only the lone visitor has, is shown", rep.From, rep.To, d.Name, row.Value)
				}
			}
		}
		if rep.Totals.Suppressed || rep.Totals.Visitors < 6 {
			t.Errorf("range %s–%s: totals %+v, want the crowd shown", rep.From, rep.To, rep.Totals)
		}
		for _, d := range rep.Dimensions {
			for _, row := range d.Rows {
				if !row.Suppressed && row.Visitors < int64(rep.MinCount) {
					t.Errorf("%s %q shows %d visitors, below k=%d", d.Name, row.Value, row.Visitors, rep.MinCount)
				}
				if row.Suppressed && (row.Visitors != 0 || row.Pageviews != 0 || row.Visits != 0 || row.Events != 0) {
					t.Errorf("%s %q is suppressed yet carries numbers: %+v", d.Name, row.Value, row)
				}
			}
		}
	}
	rep, _ := summary(t, e, day1, day1)
	page := rows(rep, analytics.DimPage)
	if len(page) != 3 || page[0].Value != "/" && page[0].Value != "/pricing" || page[2] != (analytics.Row{Value: analytics.Other, Suppressed: true}) {
		t.Errorf("pages = %+v, want /, /pricing and a suppressed (other)", page)
	}
	if got := analytics.Label(0, true, rep.MinCount); got != "< 5" {
		t.Errorf("label = %q", got)
	}
}

func TestSuppressionOfATinySite(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	for v := range 4 { // four visitors: below k = 5 everywhere
		e.view(a, v, "/", day0)
	}
	flush(t, a)
	rep, js := summary(t, e, day0, day0)
	if !rep.Totals.Suppressed || rep.Totals.Pageviews != 0 {
		t.Fatalf("totals of 4 visitors = %+v, want suppressed", rep.Totals)
	}
	for _, d := range rep.Dimensions {
		for _, row := range d.Rows {
			if !row.Suppressed {
				t.Errorf("%s %q shown for a site of 4 visitors: %s", d.Name, row.Value, js)
			}
		}
	}
}

func TestSuppressionThresholdIsConfigurable(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	for v := range 3 {
		e.view(a, v, "/", day0)
	}
	flush(t, a)
	for _, tc := range []struct{ k, want int }{{0, 5}, {1, 2}, {-7, 2}, {3, 3}} {
		r := analytics.NewReports(e.store, tc.k, 0)
		rep, err := r.Summary(context.Background(), staff.CLI, e.site.ID, day0, day0)
		if err != nil {
			t.Fatal(err)
		}
		if rep.MinCount != tc.want {
			t.Errorf("k=%d: MinCount %d, want %d", tc.k, rep.MinCount, tc.want)
		}
		if shown := !rep.Totals.Suppressed; shown != (3 >= tc.want) {
			t.Errorf("k=%d: 3 visitors shown = %v", tc.k, shown)
		}
	}
}

func TestTopNFoldsTheRestIntoOther(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	for p := range 4 {
		for v := range 5 {
			e.view(a, p*10+v, "/p"+string(rune('a'+p)), day0)
		}
	}
	flush(t, a)
	r := analytics.NewReports(e.store, 5, 2)
	rep, err := r.Summary(context.Background(), staff.CLI, e.site.ID, day0, day0)
	if err != nil {
		t.Fatal(err)
	}
	page := rows(rep, analytics.DimPage)
	if len(page) != 3 || page[2].Value != analytics.Other || page[2].Visitors != 10 || page[2].Pageviews != 10 {
		t.Fatalf("pages = %+v, want two pages and (other) with 10 visitors", page)
	}
}

func TestSummaryPermissionsAndRange(t *testing.T) {
	e := newEnv(t)
	_, err := e.reports.Summary(context.Background(), staff.Principal{ID: 2, Role: staff.Marketing}, e.site.ID, day0, day0)
	if !errs.Is(err, errs.Forbidden) {
		t.Fatalf("marketing role: %v, want forbidden", err)
	}
	_, err = e.reports.Summary(context.Background(), staff.CLI, e.site.ID, day0, day0.Add(-24*time.Hour))
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("backwards range: %v, want invalid", err)
	}
}

func rows(rep analytics.Report, dim string) []analytics.Row {
	for _, d := range rep.Dimensions {
		if d.Name == dim {
			return d.Rows
		}
	}
	return nil
}
