package analytics

import (
	"context"
	"sort"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// ReportStore reads aggregates as packed cells, of a site between two UTC days,
// inclusive. A day and dimension may come in more than one DayCells: readers sum them.
type ReportStore interface {
	// DayCells returns one row per day (Days 1) and dimension, of the dimensions named,
	// or of every dimension (DimTotal included) when none is.
	DayCells(ctx context.Context, siteID int64, fromDay, toDay int64, dims ...string) ([]DayCells, error)
	// RangeCells returns rows of every dimension that together count each day of the
	// range once: the weeks the range covers whole as their roll-ups (Days 7), the other
	// days one by one.
	RangeCells(ctx context.Context, siteID int64, fromDay, toDay int64) ([]DayCells, error)
}

// DefaultTopN is how many values of each dimension a report shows before "(other)".
const DefaultTopN = 10

// maxRangeDays bounds a report's range.
const maxRangeDays = 3660

// Reports answers questions about the aggregates, with small-count suppression applied
// to every answer: it is the only way out of the stats tables.
type Reports struct {
	store ReportStore
	k     int
	topN  int
}

// NewReports returns the reports; k is the suppression threshold (0 for the default 5,
// raised to 2 when lower) and topN the values shown per dimension (0 for DefaultTopN).
func NewReports(store ReportStore, k, topN int) *Reports {
	if topN <= 0 {
		topN = DefaultTopN
	}
	return &Reports{store: store, k: minCount(k), topN: topN}
}

// MinCount is the k of small-count suppression.
func (r *Reports) MinCount() int { return r.k }

// Report is what the dashboard shows for a range: totals and the top values of every
// dimension. A Suppressed total or row stands for fewer than MinCount visitors: its
// numbers are zero and it prints as "< k".
type Report struct {
	SiteID     int64       `json:"site_id"`
	From       string      `json:"from"` // YYYY-MM-DD, UTC, inclusive
	To         string      `json:"to"`
	MinCount   int         `json:"min_count"`
	Totals     Totals      `json:"totals"`
	Dimensions []Dimension `json:"dimensions"`
	// Filtered holds the totals of the scope's filter value, when one is set.
	Filtered *FilterTotals `json:"filter,omitempty"`
	// Goals holds the scope's goals' figures.
	Goals []GoalResult `json:"goals,omitempty"`
}

// Scope is what a report covers beyond its site and range: a filter (one value of one
// dimension) whose own totals it adds, and goals whose visitors and conversion it adds.
type Scope struct {
	Filter Filter
	Goals  []Goal
}

// FilterTotals are the totals of one filter value, suppressed as the site's totals are.
type FilterTotals struct {
	Filter
	Totals Totals `json:"totals"`
}

// Totals are the figures for the whole site.
type Totals struct {
	Suppressed    bool    `json:"suppressed,omitempty"`
	Visitors      int64   `json:"visitors"`
	Pageviews     int64   `json:"pageviews"`
	Visits        int64   `json:"visits"`
	BounceRate    float64 `json:"bounce_rate"`  // 0–1
	AvgDurationMs int64   `json:"avg_visit_ms"` // mean visit time
	Events        int64   `json:"events"`
}

// Dimension is one breakdown: its rows by visitors, then Other last.
type Dimension struct {
	Name string `json:"name"`
	Rows []Row  `json:"rows"`
}

// Row is one value of a dimension.
type Row struct {
	Value      string `json:"value"`
	Suppressed bool   `json:"suppressed,omitempty"`
	Visitors   int64  `json:"visitors"`
	Pageviews  int64  `json:"pageviews"`
	Visits     int64  `json:"visits"` // on "exit": visits that ended there
	Events     int64  `json:"events"`
}

// Summary reports a site's figures from one UTC day to another, inclusive. The actor
// needs staff.ViewStats.
func (r *Reports) Summary(ctx context.Context, actor staff.Principal, siteID int64, from, to time.Time) (Report, error) {
	return r.Report(ctx, actor, siteID, from, to, Scope{})
}

// Report is Summary with a scope: the filter value's totals and the goals' figures
// added, read from the same cells, suppression applied. The tables stay the site's
// whole: storage keeps no combination of dimensions to narrow them with.
func (r *Reports) Report(ctx context.Context, actor staff.Principal, siteID int64, from, to time.Time, sc Scope) (Report, error) {
	if !sc.Filter.Valid() {
		return Report{}, errs.InvalidField("filter", "Filter by one value of a dimension the report lists.")
	}
	if err := actor.Require(staff.ViewStats); err != nil {
		return Report{}, err
	}
	fromDay, toDay := DayOf(from), DayOf(to)
	if toDay < fromDay || toDay-fromDay > maxRangeDays*24*time.Hour.Milliseconds() {
		return Report{}, errs.E(errs.Invalid, "The range must run forwards and span at most ten years.")
	}
	days, err := r.store.RangeCells(ctx, siteID, fromDay, toDay)
	if err != nil {
		return Report{}, err
	}
	t := tally{}
	for _, d := range days {
		if err := t.add(d); err != nil {
			return Report{}, err
		}
	}
	rep := Report{SiteID: siteID, From: time.UnixMilli(fromDay).UTC().Format(time.DateOnly),
		To: time.UnixMilli(toDay).UTC().Format(time.DateOnly), MinCount: r.k}
	total := t.get(DimTotal, "")
	rep.Totals = r.totals(total)
	for _, dim := range Dimensions {
		rows := make([]Row, 0, len(t[dim]))
		for value, s := range t[dim] {
			rows = append(rows, Row{Value: value, Visitors: s.visitors, Pageviews: s.c.Pageviews, Visits: s.c.Visits, Events: s.c.Events})
		}
		rep.Dimensions = append(rep.Dimensions, Dimension{Name: dim, Rows: r.suppress(rows, total.visitors)})
	}
	if f := sc.Filter; !f.IsZero() {
		rep.Filtered = &FilterTotals{Filter: f, Totals: r.totals(t.get(f.Dim, f.Value))}
	}
	for _, g := range sc.Goals {
		rep.Goals = append(rep.Goals, r.goalResult(g, t.get(g.Dim(), g.Value), total))
	}
	return rep, nil
}

func (r *Reports) totals(s sums) Totals {
	if s.visitors < int64(r.k) {
		return Totals{Suppressed: true}
	}
	t := Totals{Visitors: s.visitors, Pageviews: s.c.Pageviews, Visits: s.c.Visits, Events: s.c.Events}
	if s.c.Visits > 0 {
		t.BounceRate = float64(max(s.c.Bounces, 0)) / float64(s.c.Visits)
		t.AvgDurationMs = max(s.c.DurationMs, 0) / s.c.Visits
	}
	return t
}

// suppress orders rows by visitors and folds into one Other row every row beyond the
// top N, every row of fewer than k visitors, and any stored Other.
//
// One visitor may stand behind several folded values (several pages of one visit), so
// the sum of their visitors is not the Other row's visitors; storage keeps no sketch
// that could tell. Other is therefore shown only when one of the values folded into it
// stands for k visitors or more on its own, which proves the row stands for at least k;
// otherwise it is suppressed. Its visitors are then the sum over the folded values,
// at most the site's total (totalVisitors) and at least the largest folded value: an
// upper bound, as visitors over several days are.
func (r *Reports) suppress(rows []Row, totalVisitors int64) []Row {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Visitors != rows[j].Visitors {
			return rows[i].Visitors > rows[j].Visitors
		}
		if rows[i].Pageviews != rows[j].Pageviews {
			return rows[i].Pageviews > rows[j].Pageviews
		}
		return rows[i].Value < rows[j].Value
	})
	var out []Row
	other := Row{Value: Other}
	var largest int64 // the most visitors of one folded value
	folded := false
	for _, row := range rows {
		if row.Value != Other && row.Visitors >= int64(r.k) && len(out) < r.topN {
			out = append(out, row)
			continue
		}
		folded = true
		other.Visitors += row.Visitors
		other.Pageviews += row.Pageviews
		other.Visits += row.Visits
		other.Events += row.Events
		largest = max(largest, row.Visitors)
	}
	if !folded {
		return out
	}
	if largest < int64(r.k) {
		other = Row{Value: Other, Suppressed: true}
	} else {
		other.Visitors = max(min(other.Visitors, totalVisitors), largest)
	}
	return append(out, other)
}

// Label prints a count, or "< k" for a suppressed cell.
func Label(n int64, suppressed bool, k int) string {
	if suppressed {
		return "< " + itoa(k)
	}
	return itoa(int(n))
}
