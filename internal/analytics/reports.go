package analytics

import (
	"context"
	"sort"
	"time"

	"github.com/axiomhq/hyperloglog"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// ReportStore reads aggregates: every one of a site between two UTC days, inclusive.
type ReportStore interface {
	Stats(ctx context.Context, siteID int64, fromDay, toDay int64) ([]Aggregate, error)
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

type merged struct {
	c  Counters
	sk *hyperloglog.Sketch // decoded once per stored row and merged in place
}

// add merges one stored aggregate into m.
func (m *merged) add(ag Aggregate) error {
	m.c.add(ag.Counters)
	if len(ag.Visitors) == 0 {
		return nil
	}
	sk, err := decodeSketch(ag.Visitors)
	if err != nil {
		return err
	}
	if m.sk == nil {
		m.sk = sk
		return nil
	}
	if err := m.sk.Merge(sk); err != nil {
		return errs.Wrap(errs.Internal, "", err)
	}
	return nil
}

// visitors estimates the distinct visitors of m.
func (m *merged) visitors() int64 {
	if m.sk == nil {
		return 0
	}
	return int64(m.sk.Estimate())
}

// Summary reports a site's figures from one UTC day to another, inclusive. The actor
// needs staff.ViewStats.
func (r *Reports) Summary(ctx context.Context, actor staff.Principal, siteID int64, from, to time.Time) (Report, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return Report{}, err
	}
	fromDay, toDay := DayOf(from), DayOf(to)
	if toDay < fromDay || toDay-fromDay > maxRangeDays*24*time.Hour.Milliseconds() {
		return Report{}, errs.E(errs.Invalid, "The range must run forwards and span at most ten years.")
	}
	aggs, err := r.store.Stats(ctx, siteID, fromDay, toDay)
	if err != nil {
		return Report{}, err
	}
	cells := map[[2]string]*merged{}
	for _, ag := range aggs {
		k := [2]string{ag.Dim, ag.Value}
		m := cells[k]
		if m == nil {
			m = &merged{}
			cells[k] = m
		}
		if err := m.add(ag); err != nil {
			return Report{}, err
		}
	}
	rep := Report{SiteID: siteID, From: time.UnixMilli(fromDay).UTC().Format(time.DateOnly),
		To: time.UnixMilli(toDay).UTC().Format(time.DateOnly), MinCount: r.k}
	total := cells[[2]string{DimTotal, ""}]
	if total == nil {
		total = &merged{}
	}
	if rep.Totals, err = r.totals(total); err != nil {
		return Report{}, err
	}
	byDim := map[string][]Row{}
	for k, m := range cells {
		if k[0] == DimTotal {
			continue
		}
		byDim[k[0]] = append(byDim[k[0]], Row{Value: k[1], Visitors: m.visitors(), Pageviews: m.c.Pageviews, Visits: m.c.Visits, Events: m.c.Events})
	}
	for _, dim := range Dimensions {
		rows, err := r.suppress(byDim[dim], func(value string) *hyperloglog.Sketch { return cells[[2]string{dim, value}].sk })
		if err != nil {
			return Report{}, err
		}
		rep.Dimensions = append(rep.Dimensions, Dimension{Name: dim, Rows: rows})
	}
	return rep, nil
}

func (r *Reports) totals(m *merged) (Totals, error) {
	if v := m.visitors(); v < int64(r.k) {
		return Totals{Suppressed: true}, nil
	}
	t := Totals{Visitors: m.visitors(), Pageviews: m.c.Pageviews, Visits: m.c.Visits, Events: m.c.Events}
	if m.c.Visits > 0 {
		t.BounceRate = float64(max(m.c.Bounces, 0)) / float64(m.c.Visits)
		t.AvgDurationMs = max(m.c.DurationMs, 0) / m.c.Visits
	}
	return t, nil
}

// suppress orders rows by visitors and folds into one Other row every row beyond the
// top N, every row of fewer than k visitors, and any stored Other; that row is
// suppressed in turn when its merged visitors are fewer than k.
func (r *Reports) suppress(rows []Row, sketch func(string) *hyperloglog.Sketch) ([]Row, error) {
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
	otherSk := newSketch()
	folded := false
	for _, row := range rows {
		if row.Value != Other && row.Visitors >= int64(r.k) && len(out) < r.topN {
			out = append(out, row)
			continue
		}
		folded = true
		other.Pageviews += row.Pageviews
		other.Visits += row.Visits
		other.Events += row.Events
		if sk := sketch(row.Value); sk != nil {
			if err := otherSk.Merge(sk); err != nil {
				return nil, errs.Wrap(errs.Internal, "", err)
			}
		}
	}
	if !folded {
		return out, nil
	}
	if v := int64(otherSk.Estimate()); v < int64(r.k) {
		other = Row{Value: Other, Suppressed: true}
	} else {
		other.Visitors = int64(otherSk.Estimate())
	}
	return append(out, other), nil
}

func estimate(sk []byte) (int64, error) {
	s, err := decodeSketch(sk)
	if err != nil {
		return 0, err
	}
	return int64(s.Estimate()), nil
}

// Label prints a count, or "< k" for a suppressed cell.
func Label(n int64, suppressed bool, k int) string {
	if suppressed {
		return "< " + itoa(k)
	}
	return itoa(int(n))
}
