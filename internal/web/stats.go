package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/limiter"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// statsPages are the statistics dashboard, its export, goals, weekly mail and API tokens
// (staff), and the bearer-token statistics API. Figures come from analytics.Reports with
// small-count suppression applied; the shop only lends its funnel.
type statsPages struct {
	*pages
	reports     *analytics.Reports
	siteList    SiteLister
	statsTokens StatsTokens
	live        LiveCounter
	statsMail   StatsMail
	statsGoals  StatsGoals
	shop        *shop.Service // the dashboard's shop funnel (nil: not shown)

	statsAPILimit     *limiter.Limiter[string]  // per API token
	statsAPIAddrLimit *limiter.Limiter[addrKey] // per client address, before the token is checked
}

// The statistics dashboard (permission stats.view, checked again by the domain): the
// totals of a site over a range beside the previous period, a chart of visitors and page
// views per day drawn here as SVG (numbers only reach the template), and the top values
// of every dimension. Every figure comes from analytics.Reports, so small-count
// suppression applies: a cell of fewer than k visitors reads "< k".

// SiteLister lists the sites whose visits are counted (analytics.Sites).
type SiteLister interface {
	List(ctx context.Context, actor staff.Principal) ([]analytics.Site, error)
}

type statsPreset struct {
	Label, URL string
	Current    bool
}

type statsCard struct {
	Label, Value string
	Change       string // "+12 %", "" when there is nothing to compare
	Trend        string // "up", "down" or "flat": the CSS class of Change
	Suppressed   bool
}

type statsRow struct {
	Value, Visitors, Count string
	URL                    string // filters the totals and chart by this value; "" for (other) and suppressed rows
	Other, Suppressed      bool
	Bar                    int // the bar's width class: 0–100 in steps of 5
}

type statsTable struct {
	Title, Column, CountColumn string // CountColumn: a second figure ("Page views", "Events"), or ""
	Rows                       []statsRow
}

type statsData struct {
	Sites      []analytics.Site
	Site       analytics.Site
	Range      string
	From, To   string // YYYY-MM-DD, for the custom form
	Period     string // "1 Mar – 30 Mar 2026"
	PrevPeriod string
	Presets    []statsPreset
	Cards      []statsCard
	Chart      *statsChart
	Tables     []statsTable
	K          int
	ExportURL  string // the "Download CSV" link for this site and range
	NoSites    bool
	NoData     bool
	Invalid    string
	Live       string // visitors of the last five minutes ("< k" when fewer); "" when not counted here
	Weekly     bool   // the member receives this site's weekly mail
	WeeklyForm bool   // the weekly mail is offered (the opt-in form is shown)

	Steps       []statsStep // the chart's step choices
	Step        string      // the chart's step: "hour", "day", "week" or "month"
	StepWord    string      // "hour", "day"…: the legend's "per …"
	FilterLabel string      // "Country: DE" when filtered
	FilterParam string      // the filter as ?filter= takes it ("country:DE"), kept by the custom range form
	ClearURL    string      // the same page without the filter
	Goals       []statsGoal
	GoalsForm   bool         // goals are offered (the goal form is shown)
	Funnel      []funnelStep // the shop funnel (nil without a shop, or when filtered)
}

var statsDimensions = []struct{ dim, title, column, count string }{
	{analytics.DimPage, "Top pages", "Page", "Page views"},
	{analytics.DimSection, "Top sections", "Section", "Page views"},
	{analytics.DimEntry, "Entry pages", "Page", ""},
	{analytics.DimExit, "Exit pages", "Page", ""},
	{analytics.DimSource, "Sources", "Source", ""},
	{analytics.DimReferrer, "Referrers", "Referrer", ""},
	{analytics.DimUTMCampaign, "UTM campaigns", "Campaign", ""},
	{analytics.DimCountry, "Countries", "Country", ""},
	{analytics.DimRegion, "Regions", "Region", ""},
	{analytics.DimCity, "Cities", "City", ""},
	{analytics.DimLanguage, "Languages", "Language", ""},
	{analytics.DimBrowser, "Browsers", "Browser", ""},
	{analytics.DimOS, "Operating systems", "OS", ""},
	{analytics.DimDevice, "Devices", "Device", ""},
	{analytics.DimScreen, "Screen sizes", "Screen", ""},
	{analytics.DimEvent, "Events", "Event", "Events"},
}

// statsRange resolves the range parameters against today (UTC): the preset, the first
// and last day, inclusive.
func statsRange(q url.Values, now time.Time) (string, time.Time, time.Time, string) {
	today := now.UTC().Truncate(24 * time.Hour)
	switch q.Get("range") {
	case "today":
		return "today", today, today, ""
	case "7d":
		return "7d", today.AddDate(0, 0, -6), today, ""
	case "month":
		return "month", today.AddDate(0, 0, 1-today.Day()), today, ""
	case "custom":
		from, err1 := time.Parse(time.DateOnly, q.Get("from"))
		to, err2 := time.Parse(time.DateOnly, q.Get("to"))
		switch {
		case err1 != nil || err2 != nil:
			return "30d", today.AddDate(0, 0, -29), today, "Enter both dates as YYYY-MM-DD; showing the last 30 days."
		case to.Before(from) || to.Sub(from) > 366*24*time.Hour:
			return "30d", today.AddDate(0, 0, -29), today, "A custom range runs forwards and spans at most a year; showing the last 30 days."
		}
		return "custom", from, to, ""
	}
	return "30d", today.AddDate(0, 0, -29), today, ""
}

func (s *statsPages) statsPage(w http.ResponseWriter, r *http.Request) {
	p := page{Title: "Statistics", Nav: "stats"}
	actor := principal(r)
	var d statsData
	if s.siteList == nil || s.reports == nil {
		d.NoSites = true
		p.Data = d
		s.render(w, r, http.StatusOK, "stats", p)
		return
	}
	sites, err := s.siteList.List(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Sites, d.K = sites, s.reports.MinCount()
	if len(sites) == 0 {
		d.NoSites = true
		p.Data = d
		s.render(w, r, http.StatusOK, "stats", p)
		return
	}
	d.Site = sites[0]
	if id, err := strconv.ParseInt(r.URL.Query().Get("site"), 10, 64); err == nil {
		for _, st := range sites {
			if st.ID == id {
				d.Site = st
			}
		}
	}
	var from, to time.Time
	q := r.URL.Query()
	d.Range, from, to, d.Invalid = statsRange(q, time.Now())
	d.From, d.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	filter, ok := parseFilter(q)
	if !ok {
		d.Invalid = "That filter names no dimension of the report; showing the whole site."
	}
	link := statsLink{site: d.Site.ID, rng: d.Range, from: d.From, to: d.To, by: chartBy(q, from, to, filter), filter: filter}
	if len(sites) == 1 {
		link.site = 0
	}
	d.ExportURL = statsExportURL(d.Site.Name, d.From, d.To, link.by, filter)
	for _, pr := range []struct{ key, label string }{{"today", "Today"}, {"7d", "Last 7 days"}, {"30d", "Last 30 days"}, {"month", "This month"}} {
		preset := statsLink{site: link.site, rng: pr.key, filter: filter}
		d.Presets = append(d.Presets, statsPreset{Label: pr.label, URL: preset.URL(), Current: d.Range == pr.key})
	}
	days := int(to.Sub(from)/(24*time.Hour)) + 1
	prevTo := from.AddDate(0, 0, -1)
	prevFrom := prevTo.AddDate(0, 0, 1-days)
	d.Period, d.PrevPeriod = period(from, to), period(prevFrom, prevTo)

	p.Flash = statsFlashes[r.URL.Query().Get("done")]
	if d.Live, err = s.liveLabel(actor, d.Site.ID, d.K); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.statsMail != nil {
		on, err := s.statsMail.Subscribed(r.Context(), actor, d.Site.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Weekly, d.WeeklyForm = on, true
	}
	goals, err := s.goalsOf(r.Context(), actor, d.Site.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.GoalsForm = s.statsGoals != nil
	rep, err := s.reports.Report(r.Context(), actor, d.Site.ID, from, to, analytics.Scope{Filter: filter, Goals: goals})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prev, err := s.reports.Report(r.Context(), actor, d.Site.ID, prevFrom, prevTo, analytics.Scope{Filter: filter})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	chart, err := s.reports.Series(r.Context(), actor, d.Site.ID, from, to, link.by, filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	series := chart.Points // the site's days, when that is what the chart draws
	if chart.By != analytics.ByDay || !filter.IsZero() {
		if series, err = s.reports.Daily(r.Context(), actor, d.Site.ID, from, to); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Step, d.StepWord = chart.By, stepWords[chart.By][0]
	d.Steps = statsSteps(link, from, to, chart.By)
	// Totals of an empty range read as suppressed (0 < k); the series tells an empty
	// range from a small one, day by day.
	d.NoData = true
	for _, pt := range series {
		if pt.Suppressed || pt.Visitors > 0 || pt.Pageviews > 0 {
			d.NoData = false
		}
	}
	d.Cards = statsCards(rep.Totals, prev.Totals, d.K)
	if rep.Filtered != nil {
		d.Cards = statsCards(rep.Filtered.Totals, prev.Filtered.Totals, d.K)
		d.FilterLabel = dimensionTitle(filter.Dim) + ": " + valueLabel(filter.Dim, filter.Value)
		d.FilterParam = filter.Dim + ":" + filter.Value
		whole := link
		whole.filter = analytics.Filter{}
		d.ClearURL = whole.URL()
	}
	if !d.NoData {
		d.Chart = drawChart(chart, d.K)
	}
	for _, dm := range statsDimensions {
		t := statsTableOf(rep, dm.dim, dm.title, dm.column, dm.count, link)
		if len(t.Rows) == 0 && s.cfg.GeoIPCity == "" && (dm.dim == analytics.DimRegion || dm.dim == analytics.DimCity) {
			continue // counted only with --geoip-city: no empty tables without it
		}
		d.Tables = append(d.Tables, t)
	}
	d.Goals = statsGoalsOf(rep)
	if rep.Filtered == nil {
		if d.Funnel, err = s.shopFunnel(r.Context(), actor, rep.Totals, from, to, d.K); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "stats", p)
}

func period(from, to time.Time) string {
	if from.Equal(to) {
		return from.Format("2 Jan 2006")
	}
	if from.Year() == to.Year() {
		return from.Format("2 Jan") + " – " + to.Format("2 Jan 2006")
	}
	return from.Format("2 Jan 2006") + " – " + to.Format("2 Jan 2006")
}

func statsCards(t, prev analytics.Totals, k int) []statsCard {
	label := func(n int64) string { return analytics.Label(n, t.Suppressed, k) }
	both := !t.Suppressed && !prev.Suppressed
	change := func(now, before float64, lowerIsBetter bool) (string, string) {
		if !both || before == 0 {
			return "", ""
		}
		pct := math.Round((now - before) / before * 100)
		trend := "flat"
		switch {
		case pct > 0 && !lowerIsBetter, pct < 0 && lowerIsBetter:
			trend = "up"
		case pct != 0:
			trend = "down"
		}
		sign := ""
		if pct > 0 {
			sign = "+"
		}
		return fmt.Sprintf("%s%.0f %%", sign, pct), trend
	}
	cards := []statsCard{
		{Label: "Visitors", Value: label(t.Visitors)},
		{Label: "Page views", Value: label(t.Pageviews)},
		{Label: "Visits", Value: label(t.Visits)},
		{Label: "Bounce rate", Value: label(0)},
		{Label: "Visit duration", Value: label(0)},
	}
	cards[0].Change, cards[0].Trend = change(float64(t.Visitors), float64(prev.Visitors), false)
	cards[1].Change, cards[1].Trend = change(float64(t.Pageviews), float64(prev.Pageviews), false)
	cards[2].Change, cards[2].Trend = change(float64(t.Visits), float64(prev.Visits), false)
	if !t.Suppressed {
		cards[3].Value = fmt.Sprintf("%.0f %%", t.BounceRate*100)
		cards[3].Change, cards[3].Trend = change(t.BounceRate, prev.BounceRate, true)
		cards[4].Value = duration(t.AvgDurationMs)
		cards[4].Change, cards[4].Trend = change(float64(t.AvgDurationMs), float64(prev.AvgDurationMs), false)
	}
	for i := range cards {
		cards[i].Suppressed = t.Suppressed
	}
	return cards
}

func duration(ms int64) string {
	s := ms / 1000
	if s < 60 {
		return fmt.Sprintf("%ds", s)
	}
	if s < 3600 {
		return fmt.Sprintf("%dm %02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh %02dm", s/3600, s/60%60)
}

// valueLabel prints a dimension value as the tables do: an empty one as "Direct /
// none", "No campaign" or "Unknown".
func valueLabel(dim, value string) string {
	if value != "" {
		return value
	}
	switch dim {
	case analytics.DimReferrer:
		return "Direct / none"
	case analytics.DimUTMCampaign:
		return "No campaign"
	}
	return "Unknown"
}

// statsTableOf is one dimension's table; link is the page, whose filter its rows set.
func statsTableOf(rep analytics.Report, dim, title, column, count string, link statsLink) statsTable {
	t := statsTable{Title: title, Column: column, CountColumn: count}
	for _, dm := range rep.Dimensions {
		if dm.Name != dim {
			continue
		}
		var top int64
		for _, row := range dm.Rows {
			top = max(top, row.Visitors)
		}
		for _, row := range dm.Rows {
			sr := statsRow{Value: valueLabel(dim, row.Value), Other: row.Value == analytics.Other, Suppressed: row.Suppressed,
				Visitors: analytics.Label(row.Visitors, row.Suppressed, rep.MinCount)}
			if !sr.Other && !sr.Suppressed {
				to := link
				to.filter = analytics.Filter{Dim: dim, Value: row.Value}
				if to.by == analytics.ByHour {
					to.by = ""
				}
				sr.URL = to.URL()
			}
			switch count {
			case "Page views":
				sr.Count = analytics.Label(row.Pageviews, row.Suppressed, rep.MinCount)
			case "Events":
				sr.Count = analytics.Label(row.Events, row.Suppressed, rep.MinCount)
			}
			if top > 0 && !row.Suppressed {
				sr.Bar = int(math.Round(float64(row.Visitors)/float64(top)*20)) * 5
				sr.Bar = max(sr.Bar, 5)
			}
			t.Rows = append(t.Rows, sr)
		}
	}
	return t
}

// The chart: a fixed viewBox scaled by CSS; the plot area inside the margins.
const (
	chartW, chartH                 = 720, 240
	chartLeft, chartRight          = 48, 12
	chartTop, chartBottom          = 12, 28
	chartPlotW, chartPlotH float64 = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
)

type chartTick struct {
	X, Y  float64
	Label string
}

type chartDot struct {
	X, Y, Y2 float64
	Title    string
	Hidden   bool // a suppressed day: drawn as a gap marker on the axis
}

type statsChart struct {
	W, H                              int
	Left, Right, Top, Bottom          float64
	Visitors, VisitorsArea, Pageviews string // path data: commands and numbers only
	YTicks, XTicks                    []chartTick
	Dots                              []chartDot
	Desc                              string
	Suppressed                        int // steps shown as "< k"
}

// drawChart draws a series; its steps are named by stepWords and stepLabel.
func drawChart(series analytics.Series, k int) *statsChart {
	pts, by := series.Points, series.By
	words := stepWords[by]
	c := &statsChart{W: chartW, H: chartH, Left: chartLeft, Right: chartW - chartRight, Top: chartTop, Bottom: chartH - chartBottom}
	top := 0
	for _, p := range pts {
		top = max(top, p.Pageviews, p.Visitors)
	}
	step := niceStep(top)
	ymax := step * 4
	x := func(i int) float64 {
		if len(pts) == 1 {
			return chartLeft + chartPlotW/2
		}
		return chartLeft + chartPlotW*float64(i)/float64(len(pts)-1)
	}
	y := func(v int) float64 { return chartTop + chartPlotH*(1-float64(v)/float64(ymax)) }
	for i := 0; i <= 4; i++ {
		c.YTicks = append(c.YTicks, chartTick{X: chartLeft - 8, Y: y(step * i), Label: compact(step * i)})
	}
	every := max(1, int(math.Ceil(float64(len(pts))/7)))
	var vis, pv strings.Builder
	var peakDay string
	peak := -1
	for i, p := range pts {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&vis, "%s%.1f %.1f ", cmd, x(i), y(p.Visitors))
		fmt.Fprintf(&pv, "%s%.1f %.1f ", cmd, x(i), y(p.Pageviews))
		if i%every == 0 || (len(pts) <= 1) {
			c.XTicks = append(c.XTicks, chartTick{X: x(i), Y: chartH - 8, Label: stepLabel(by, p.Day, false)})
		}
		title := fmt.Sprintf("%s: %d visitors, %d page views", stepLabel(by, p.Day, true), p.Visitors, p.Pageviews)
		if p.Suppressed {
			title = fmt.Sprintf("%s: fewer than %d visitors", stepLabel(by, p.Day, true), k)
			c.Suppressed++
		}
		c.Dots = append(c.Dots, chartDot{X: x(i), Y: y(p.Visitors), Y2: y(p.Pageviews), Title: title, Hidden: p.Suppressed})
		if p.Visitors > peak {
			peak, peakDay = p.Visitors, stepLabel(by, p.Day, true)
		}
	}
	c.Visitors, c.Pageviews = strings.TrimSpace(vis.String()), strings.TrimSpace(pv.String())
	c.VisitorsArea = fmt.Sprintf("%s L%.1f %.1f L%.1f %.1f Z", c.Visitors, x(len(pts)-1), y(0), x(0), y(0))
	c.Desc = fmt.Sprintf("%d %s. The busiest %s was %s with %d visitors.", len(pts), words[1], words[0], peakDay, peak)
	if c.Suppressed > 0 {
		c.Desc += fmt.Sprintf(" %d %s had fewer than %d visitors and are drawn as zero.", c.Suppressed, words[1], k)
	}
	return c
}

// niceStep is a round gridline step so that four steps cover top.
func niceStep(top int) int {
	if top <= 4 {
		return 1
	}
	raw := float64(top) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return int(math.Ceil(m * mag))
		}
	}
	return int(10 * mag)
}

func compact(n int) string {
	switch {
	case n >= 1_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64) + "M"
	case n >= 10_000:
		return strconv.FormatFloat(float64(n)/1e3, 'f', -1, 64) + "k"
	}
	return strconv.Itoa(n)
}
