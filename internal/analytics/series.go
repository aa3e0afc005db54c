package analytics

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Point is one step of a site's chart: an hour, a UTC day, an ISO week or a month,
// starting at Day. A Suppressed point stood for fewer than MinCount visitors: its
// numbers are zero and it prints as "< k". A point without any visit is a plain zero,
// except in a filtered series, where it is suppressed too (see Series).
type Point struct {
	Day        time.Time `json:"day"` // UTC: the start of the hour, day, week (a Monday) or month
	Visitors   int       `json:"visitors"`
	Pageviews  int       `json:"pageviews"`
	Suppressed bool      `json:"suppressed,omitempty"`
}

// The steps of a chart (Series.By).
const (
	ByHour  = "hour"
	ByDay   = "day"
	ByWeek  = "week"
	ByMonth = "month"
)

// maxSeriesDays bounds the days of a daily series (a year and a bit: the chart's
// resolution); maxHourDays those of an hourly one.
const (
	maxSeriesDays = 400
	maxHourDays   = 7
)

// DefaultBy is the step a chart of the range takes unless asked otherwise: hours for
// one or two days, days up to 92 days, ISO weeks up to a year and a bit, months beyond.
func DefaultBy(from, to time.Time) string {
	switch days := (DayOf(to)-DayOf(from))/dayMs + 1; {
	case days <= 2:
		return ByHour
	case days <= 92:
		return ByDay
	case days <= maxSeriesDays:
		return ByWeek
	}
	return ByMonth
}

// Filter narrows a report's totals and chart to one value of one dimension, read from
// that value's own stored cells. Storage keeps no combination of dimensions, so a filter
// never narrows the other dimensions' tables (see docs/analytics.md).
type Filter struct {
	Dim   string `json:"dimension"`
	Value string `json:"value"`
}

// IsZero reports whether f filters nothing.
func (f Filter) IsZero() bool { return f.Dim == "" }

// Valid reports whether f names a report dimension (not Other, which is a fold).
func (f Filter) Valid() bool {
	if f.IsZero() {
		return true
	}
	if f.Value == Other {
		return false
	}
	for _, d := range Dimensions {
		if d == f.Dim {
			return true
		}
	}
	return false
}

// Series is a chart: its step and one Point per step of the range.
type Series struct {
	By     string  `json:"by"`
	Points []Point `json:"points"`
}

// Daily returns one Point per UTC day from from's day to to's day, inclusive, from the
// site's "total" aggregates, with small-count suppression applied per day. The actor
// needs staff.ViewStats.
func (r *Reports) Daily(ctx context.Context, actor staff.Principal, siteID int64, from, to time.Time) ([]Point, error) {
	s, err := r.Series(ctx, actor, siteID, from, to, ByDay, Filter{})
	return s.Points, err
}

// Series returns the chart of a site from from's day to to's day, inclusive, by the step
// named (DefaultBy when "", days for a filter), of the site's total or of one filter value. Hours are kept
// for the site's total only, for at most a week. A week or a month sums its days
// (visitors too: a visitor counts once a day, as the salt changes daily); steps at the
// edges count only the days inside the range. A range without any hour kept (days
// counted before the hour dimension existed) is drawn by day instead.
//
// Suppression: an hour or a day of fewer than k visitors is suppressed; a week or a
// month is shown only when one of its days stands for k visitors or more on its own, as
// "(other)" is, since one person may stand behind several days' counts. In a filtered
// series a step without any visit is suppressed too, so that a value nobody has reads
// the same as a value of one person. The actor needs staff.ViewStats.
func (r *Reports) Series(ctx context.Context, actor staff.Principal, siteID int64, from, to time.Time, by string, f Filter) (Series, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return Series{}, err
	}
	if by == "" {
		if by = DefaultBy(from, to); by == ByHour && !f.IsZero() {
			by = ByDay
		}
	}
	fromDay, toDay := DayOf(from), DayOf(to)
	days := (toDay-fromDay)/dayMs + 1
	switch {
	case !f.Valid():
		return Series{}, errs.InvalidField("filter", "Filter by one value of a dimension the report lists.")
	case by == ByHour && !f.IsZero():
		return Series{}, errs.InvalidField("by", "Hours are kept for the site's total only; choose days.")
	case by == ByHour && (days < 1 || days > maxHourDays):
		return Series{}, errs.InvalidField("by", "An hourly chart spans at most 7 days.")
	case by != ByHour && by != ByDay && by != ByWeek && by != ByMonth:
		return Series{}, errs.InvalidField("by", "by is hour, day, week or month.")
	case days < 1 || (by == ByDay && days > maxSeriesDays) || days > maxRangeDays:
		return Series{}, errs.E(errs.Invalid, "The chart's range must run forwards and span at most 400 days by day, ten years by week or month.")
	}
	if by == ByHour {
		out, ok, err := r.hourly(ctx, siteID, fromDay, toDay)
		if ok || err != nil {
			return out, err
		}
		by = ByDay // days counted before hours were kept: by day rather than a flat line
	}
	dim, value := DimTotal, ""
	if !f.IsZero() {
		dim, value = f.Dim, f.Value
	}
	rows, err := r.store.DayCells(ctx, siteID, fromDay, toDay, dim)
	if err != nil {
		return Series{}, err
	}
	perDay := make([]sums, days)
	for _, d := range rows {
		if d.Day < fromDay || d.Day > toDay {
			continue
		}
		t := tally{}
		if err := t.add(d); err != nil {
			return Series{}, err
		}
		s, day := t.get(dim, value), &perDay[(d.Day-fromDay)/dayMs]
		day.c.add(s.c)
		day.visitors += s.visitors
	}
	out := Series{By: by}
	var b bucket
	for i, d := range perDay {
		start := stepOf(by, fromDay+int64(i)*dayMs)
		if i > 0 && start != b.start {
			out.Points = append(out.Points, r.point(b, !f.IsZero()))
			b = bucket{}
		}
		b.start = start
		b.add(d)
	}
	out.Points = append(out.Points, r.point(b, !f.IsZero()))
	return out, nil
}

// hourly is the site's total per hour of each day of the range; ok is false when no day
// of the range has hours (they were counted before hours were kept, or not at all).
func (r *Reports) hourly(ctx context.Context, siteID, fromDay, toDay int64) (_ Series, ok bool, _ error) {
	rows, err := r.store.DayCells(ctx, siteID, fromDay, toDay, DimHour)
	if err != nil || len(rows) == 0 {
		return Series{}, false, err
	}
	n := int((toDay-fromDay)/dayMs+1) * 24
	perHour := make([]sums, n)
	for _, d := range rows {
		if d.Day < fromDay || d.Day > toDay {
			continue
		}
		t := tally{}
		if err := t.add(d); err != nil {
			return Series{}, false, err
		}
		base := int((d.Day - fromDay) / dayMs * 24)
		for h, value := range hours {
			s := t.get(DimHour, value)
			perHour[base+h].c.add(s.c)
			perHour[base+h].visitors += s.visitors
		}
	}
	out := Series{By: ByHour, Points: make([]Point, n)}
	for i, s := range perHour {
		b := bucket{start: fromDay + int64(i)*time.Hour.Milliseconds()}
		b.add(s)
		out.Points[i] = r.point(b, false)
	}
	return out, true, nil
}

// bucket sums the days (or hours) of one step of a chart.
type bucket struct {
	start   int64
	s       sums
	largest int64 // the most visitors of one of its days
}

func (b *bucket) add(s sums) {
	b.s.c.add(s.c)
	b.s.visitors += s.visitors
	b.largest = max(b.largest, s.visitors)
}

// point applies suppression to a step (see Series).
func (r *Reports) point(b bucket, filtered bool) Point {
	p := Point{Day: time.UnixMilli(b.start).UTC()}
	switch {
	case b.largest >= int64(r.k):
		p.Visitors, p.Pageviews = int(b.s.visitors), int(b.s.c.Pageviews)
	case filtered || b.s.visitors > 0 || b.s.c.Pageviews > 0:
		p.Suppressed = true
	}
	return p
}

// stepOf is the start of the step of a chart that holds day.
func stepOf(by string, day int64) int64 {
	switch by {
	case ByWeek:
		return WeekOf(day)
	case ByMonth:
		t := time.UnixMilli(day).UTC()
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	}
	return day
}
