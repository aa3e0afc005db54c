package web

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/limiter"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// loneVisitor is one person whose every attribute but the device is theirs alone: a
// country (IS), region, city, browser (Opera 111), OS (Windows), page, referrer,
// campaign, language and screen class nobody else has. These values must never get a
// row of their own.
var loneVisitor = map[string]string{
	analytics.DimPage: "/lone-page", analytics.DimEntry: "/lone-page", analytics.DimExit: "/lone-page", analytics.DimSection: "/lone-page",
	analytics.DimReferrer: "lone-referrer.example", analytics.DimUTMCampaign: "lone-campaign",
	analytics.DimCountry: "IS", analytics.DimBrowser: "Opera 111", analytics.DimOS: "Windows",
	analytics.DimLanguage: "is", analytics.DimScreen: "mobile", analytics.DimSource: "referral",
	analytics.DimRegion: "lone-region", analytics.DimCity: "lone-city",
}

// loneAddr is the lone visitor's address.
var loneAddr = netip.MustParseAddr("157.157.0.1")

// bypassGeo stands for a city database: the lone visitor's region and city are theirs
// alone, everyone else shares one.
func bypassGeo(ip netip.Addr) (region, city string) {
	if ip == loneAddr {
		return loneVisitor[analytics.DimRegion], loneVisitor[analytics.DimCity]
	}
	return "US-CA", "Mountain View"
}

// bypassFixture records, over the last three days, six ordinary visitors a day and the
// lone visitor on each of those days and alone three days ago (so some ranges hold
// nobody else). It returns the days that hold visits.
func bypassFixture(t *testing.T, e *env, k int) []time.Time {
	t.Helper()
	statsFixture(t, e, false)
	store := sqldb.AnalyticsStore{DB: e.db}
	e.srv.statsPages.reports = analytics.NewReports(store, k, 10)
	sites := analytics.NewSites(store, nil)
	site, err := sites.Add(e.ctx, staff.CLI, "shop", "shop.example.com")
	if err != nil {
		t.Fatal(err)
	}
	agg := analytics.NewAggregator(store, analytics.Options{SiteHost: sites.Host, Geo: bypassGeo})
	const crowdUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	const loneUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0"
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var days []time.Time
	for d := 3; d >= 0; d-- {
		at := today.Add(-time.Duration(d)*24*time.Hour + time.Minute)
		days = append(days, at.Truncate(24*time.Hour))
		if d != 3 {
			for v := range 6 {
				ip := netip.AddrFrom4([4]byte{8, 8, 8, byte(v + 1)})
				agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/", Referrer: "https://www.google.com/",
					Language: "en-GB", ScreenWidth: 1440, IP: ip, UserAgent: crowdUA, Time: at})
				agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/pricing", IP: ip, UserAgent: crowdUA, Time: at.Add(time.Second)})
			}
		}
		agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Path: "/lone-page", Referrer: "https://lone-referrer.example/x",
			UTMCampaign: "lone-campaign", Language: "is", ScreenWidth: 320, IP: loneAddr, UserAgent: loneUA, Time: at})
	}
	if err := agg.Flush(e.ctx); err != nil {
		t.Fatal(err)
	}
	// Goals on the lone visitor's page and on everyone's: only the latter may show numbers.
	e.srv.statsPages.statsGoals = analytics.NewGoals(sqldb.StatsGoalStore{DB: e.db}, e.srv.auditPages.audit, nil)
	for _, path := range []string{"/lone-page", "/pricing"} {
		if _, err := e.srv.statsPages.statsGoals.Create(e.ctx, staff.CLI, site.ID, analytics.GoalPage, path); err != nil {
			t.Fatal(err)
		}
	}
	return days
}

// bypassScopes are the chart steps and the filters tried with every range: the lone
// visitor's own values, a value nobody has, and everyone's.
var bypassScopes = []string{"", "by=hour", "by=day", "by=week", "by=month",
	"filter=country:IS", "filter=page:/lone-page", "filter=section:/lone-page", "filter=browser:Opera 111",
	"filter=referrer:lone-referrer.example", "filter=city:lone-city", "filter=country:FR", "filter=page:/pricing", "filter=page:/pricing&by=week"}

// echoes are what the dashboard repeats of its own URL and of the goals staff typed:
// not figures, so removed before looking for the lone visitor's values.
var echoes = regexp.MustCompile(`Filtered by <strong>[^<]*</strong>|Page: /lone-page|(?:filter=|&#43;)[^"&]*|value="[^"]*"`)

// statsRanges are every range the dashboard offers (presets and custom ranges over the
// fixture's days: each day alone, the lone visitor's day alone, each pair, all) as
// dashboard queries, and the same spans as from/to pairs for the API and exports.
func statsRanges(days []time.Time) (dashboard []string, spans [][2]string) {
	for _, p := range []string{"today", "7d", "30d", "month", ""} {
		dashboard = append(dashboard, "range="+p)
	}
	for i := range days {
		for j := i; j < len(days); j++ {
			f, to := days[i].Format(time.DateOnly), days[j].Format(time.DateOnly)
			spans = append(spans, [2]string{f, to})
			dashboard = append(dashboard, "range=custom&from="+f+"&to="+to)
		}
	}
	return dashboard, append(spans, [2]string{"", ""}) // and the API's default range
}

var statsVisitorsCard = regexp.MustCompile(`<h2>Visitors</h2>\s*<p class="stat-value num">([^<]*)</p>`)

var dashboardRow = regexp.MustCompile(`(?s)<span class="value">(.*?)</span></th>\s*(?:<td class="num[^"]*">([^<]*)</td>\s*)?<td class="num[^"]*">([^<]*)</td>`)

// checkCell fails when a cell singles out the lone visitor: a row of one of their own
// values, or a number of visitors below k (a suppressed cell must read "< k").
func checkCell(t *testing.T, where, dim, value, visitors string, k int) {
	t.Helper()
	if value != analytics.Other && value != "" && loneVisitor[dim] == value {
		t.Errorf("%s: the lone visitor's %s %q has a row of its own", where, dim, value)
	}
	if visitors == "< "+strconv.Itoa(k) {
		return
	}
	if n, err := strconv.Atoi(visitors); err != nil || n < k {
		t.Errorf("%s: %s %q shows %q visitors; want at least %d or \"< %d\"", where, dim, value, visitors, k, k)
	}
}

// Promise: a broad picture of the population, never one individual. Suppression cannot
// be bypassed through the UI, the API or exports: for k = 5 and k = 7, with every range
// the dashboard offers and the same ranges through GET /api/stats, GET /api/stats.csv
// and the dashboard's CSV, the lone visitor's values never get a row of their own and no
// cell shows a number of visitors below k.
func TestSuppressionCannotBeBypassed(t *testing.T) {
	for _, k := range []int{5, 7} {
		t.Run("k="+strconv.Itoa(k), func(t *testing.T) {
			e := newEnv(t)
			// Hundreds of API requests from one address: its per-address limit (tested in
			// TestStatsAPIGuessingIsLimitedPerAddress) is not what this test is about.
			e.srv.statsPages.statsAPIAddrLimit = limiter.New[addrKey](1<<20, time.Millisecond, 10)
			days := bypassFixture(t, e, k)
			c, _ := e.signedIn("analyst@staff.example", staff.Analyst)
			dashboard, spans := statsRanges(days)
			for _, q := range scoped(dashboard) {
				r := c.get("/admin/stats?" + q)
				want(t, r, http.StatusOK)
				rows := dashboardRow.FindAllStringSubmatch(r.body, -1)
				for _, m := range rows {
					checkCell(t, "dashboard "+q, "any", html.UnescapeString(m[1]), html.UnescapeString(m[3]), k)
				}
				if m := statsVisitorsCard.FindStringSubmatch(r.body); m != nil {
					checkCell(t, "dashboard "+q, "total", "", html.UnescapeString(m[1]), k)
				}
				body := echoes.ReplaceAllString(r.body, "")
				for _, v := range []string{"lone-", "157.157", "Opera 111", "Windows"} {
					if strings.Contains(body, v) {
						t.Errorf("dashboard %s shows %q: %s", q, v, body[max(0, strings.Index(body, v)-300):strings.Index(body, v)+50])
					}
				}
			}
			for _, scope := range bypassScopes {
				// One token per scope: the API's rate limit is per token.
				_, secret, err := e.srv.statsPages.statsTokens.Create(e.ctx, staff.CLI, "bypass test "+scope, 0)
				if err != nil {
					t.Fatal(err)
				}
				api := e.client()
				api.hdr.Set("Authorization", "Bearer "+secret)
				extra, _ := url.ParseQuery(scope)
				for _, sp := range spans {
					q := url.Values{"site": {"shop"}}
					for name, v := range extra {
						q[name] = v
					}
					if sp[0] != "" {
						q.Set("from", sp[0])
						q.Set("to", sp[1])
					}
					if q.Get("by") == "hour" && sp[0] == "" {
						continue // the default range is 30 days: no hours
					}
					checkJSON(t, api.get("/api/stats?"+q.Encode()), k)
					checkCSV(t, api.get("/api/stats.csv?"+q.Encode()), k)
					checkCSV(t, c.get("/admin/stats/export.csv?"+q.Encode()), k)
				}
			}
		})
	}
}

// scoped is every dashboard query with every scope of bypassScopes.
func scoped(queries []string) []string {
	var out []string
	for _, q := range queries {
		for _, sc := range bypassScopes {
			if sc != "" {
				sc = "&" + strings.ReplaceAll(sc, " ", "+")
			}
			out = append(out, q+sc)
		}
	}
	return out
}

func checkJSON(t *testing.T, r resp, k int) {
	t.Helper()
	want(t, r, http.StatusOK)
	var x struct {
		Totals     map[string]any `json:"totals"`
		Daily      []map[string]any
		Chart      struct{ Points []map[string]any }
		Filter     struct{ Totals map[string]any }
		Goals      []map[string]any
		Dimensions []struct {
			Name string
			Rows []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(r.body), &x); err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
	where := "API " + r.Request.URL.RawQuery
	cell := func(dim, value string, m map[string]any) {
		if m["suppressed"] == true {
			if len(m) > 3 { // value or day, suppressed: nothing else
				t.Errorf("%s: a suppressed %s cell carries numbers: %v", where, dim, m)
			}
			checkCell(t, where, dim, value, "< "+strconv.Itoa(k), k)
			return
		}
		v, _ := m["visitors"].(float64)
		if (dim == "day" || dim == "chart") && v == 0 && m["pageviews"] == float64(0) {
			return // a day without any visit
		}
		checkCell(t, where, dim, value, strconv.Itoa(int(v)), k)
	}
	cell("total", "", x.Totals)
	for _, p := range x.Daily {
		cell("day", "", p)
	}
	for _, p := range x.Chart.Points {
		cell("chart", "", p)
	}
	if x.Filter.Totals != nil {
		cell("filter", "", x.Filter.Totals)
	}
	for _, g := range x.Goals {
		if g["suppressed"] == true {
			if _, ok := g["visitors"]; ok {
				t.Errorf("%s: a suppressed goal carries numbers: %v", where, g)
			}
			continue
		}
		v, _ := g["visitors"].(float64)
		checkCell(t, where, "goal", "", strconv.Itoa(int(v)), k)
	}
	for _, d := range x.Dimensions {
		for _, row := range d.Rows {
			value, _ := row["value"].(string)
			cell(d.Name, value, row)
		}
	}
}

func checkCSV(t *testing.T, r resp, k int) {
	t.Helper()
	want(t, r, http.StatusOK)
	recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
	where := "CSV " + r.Request.URL.Path + "?" + r.Request.URL.RawQuery
	for _, rec := range recs[1:] {
		dim, value, visitors := rec[3], rec[4], rec[5]
		step := dim == "day" || strings.HasPrefix(dim, "chart_")
		if step && visitors == "0" && rec[6] == "0" {
			continue // a day (hour, week, month) without any visit
		}
		if visitors == "< "+strconv.Itoa(k) {
			for _, n := range rec[6:] {
				if n != "" && n != visitors {
					t.Errorf("%s: a suppressed row shows %q: %v", where, n, rec)
				}
			}
		}
		if step || dim == "goal" || dim == "filter" {
			value = "" // a date, or what the URL or staff named
		}
		checkCell(t, where, dim, value, visitors, k)
	}
}
