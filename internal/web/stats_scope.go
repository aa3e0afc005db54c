package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
)

// The dashboard's scope beyond site and range: the chart's step (?by=hour|day|week|month,
// by default analytics.DefaultBy) and a filter by one value of one dimension
// (?filter=DIMENSION:VALUE), which narrows the totals and the chart to that value's own
// stored figures and never the tables (storage keeps no combination of dimensions).

// statsLink is a dashboard address: every parameter the page keeps between clicks.
type statsLink struct {
	site          int64 // 0 when the installation has one site
	rng, from, to string
	by            string // "" for the default step
	filter        analytics.Filter
}

// URL is the link's address.
func (l statsLink) URL() string {
	v := url.Values{}
	if l.site > 0 {
		v.Set("site", strconv.FormatInt(l.site, 10))
	}
	v.Set("range", l.rng)
	if l.rng == "custom" {
		v.Set("from", l.from)
		v.Set("to", l.to)
	}
	if l.by != "" {
		v.Set("by", l.by)
	}
	if !l.filter.IsZero() {
		v.Set("filter", l.filter.Dim+":"+l.filter.Value)
	}
	return "/admin/stats?" + v.Encode()
}

// parseFilter reads ?filter=DIMENSION:VALUE; ok is false for a dimension the report does
// not list (or "(other)", a fold rather than a value).
func parseFilter(q url.Values) (f analytics.Filter, ok bool) {
	raw := q.Get("filter")
	if raw == "" {
		return f, true
	}
	dim, value, _ := strings.Cut(raw, ":")
	f = analytics.Filter{Dim: dim, Value: value}
	if !f.Valid() || f.IsZero() {
		return analytics.Filter{}, false
	}
	return f, true
}

// chartBy resolves ?by for a range and a filter: "" (the default) when absent, unknown,
// or an hourly chart that cannot be drawn (more than a week, or filtered: hours are kept
// for the site's total only).
func chartBy(q url.Values, from, to time.Time, f analytics.Filter) string {
	by := q.Get("by")
	switch by {
	case analytics.ByDay, analytics.ByWeek, analytics.ByMonth:
		return by
	case analytics.ByHour:
		if f.IsZero() && to.Sub(from) < 7*24*time.Hour {
			return by
		}
	}
	return ""
}

// statsStep is one choice of the chart's step.
type statsStep struct {
	Label, URL string
	Current    bool
}

// statsSteps are the step choices for a range: hours only where chartBy allows them.
func statsSteps(l statsLink, from, to time.Time, current string) []statsStep {
	var out []statsStep
	for _, st := range []struct{ by, label string }{{analytics.ByHour, "Hours"}, {analytics.ByDay, "Days"}, {analytics.ByWeek, "Weeks"}, {analytics.ByMonth, "Months"}} {
		if st.by == analytics.ByHour && (!l.filter.IsZero() || to.Sub(from) >= 7*24*time.Hour) {
			continue
		}
		link := l
		link.by = st.by
		out = append(out, statsStep{Label: st.label, URL: link.URL(), Current: st.by == current})
	}
	return out
}

// stepWords name a chart's step in its legend and description: singular, plural.
var stepWords = map[string][2]string{
	analytics.ByHour: {"hour", "hours"}, analytics.ByDay: {"day", "days"},
	analytics.ByWeek: {"week", "weeks"}, analytics.ByMonth: {"month", "months"},
}

// stepLabel prints a step's start on the chart's axis (short) or in its tooltip (long).
func stepLabel(by string, t time.Time, long bool) string {
	switch by {
	case analytics.ByHour:
		if long {
			return t.Format("Mon 2 Jan 15:00")
		}
		if t.Hour() == 0 {
			return t.Format("2 Jan")
		}
		return t.Format("15:00")
	case analytics.ByWeek:
		if long {
			return "Week of " + t.Format("Mon 2 Jan")
		}
		return t.Format("2 Jan")
	case analytics.ByMonth:
		return t.Format("Jan 2006")
	}
	if long {
		return t.Format("Mon 2 Jan")
	}
	return t.Format("2 Jan")
}

// dimensionTitle names a dimension's values on the dashboard ("Country"), for the
// filter's note.
func dimensionTitle(dim string) string {
	switch dim {
	case analytics.DimEntry:
		return "Entry page"
	case analytics.DimExit:
		return "Exit page"
	}
	for _, dm := range statsDimensions {
		if dm.dim == dim {
			return dm.column
		}
	}
	return dim
}
