package analytics

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Point is one UTC day of a site's figures, for the dashboard's chart. A Suppressed day
// had fewer than MinCount visitors (but some): its numbers are zero and it prints as
// "< k". A day without any visit is a plain zero.
type Point struct {
	Day        time.Time `json:"day"` // UTC midnight
	Visitors   int       `json:"visitors"`
	Pageviews  int       `json:"pageviews"`
	Suppressed bool      `json:"suppressed,omitempty"`
}

// maxSeriesDays bounds the days of a series (a year and a bit: the chart's resolution).
const maxSeriesDays = 400

// Daily returns one Point per UTC day from from's day to to's day, inclusive, from the
// site's "total" aggregates, with small-count suppression applied per day. The actor
// needs staff.ViewStats.
func (r *Reports) Daily(ctx context.Context, actor staff.Principal, siteID int64, from, to time.Time) ([]Point, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return nil, err
	}
	const dayMs = 24 * 60 * 60 * 1000
	fromDay, toDay := DayOf(from), DayOf(to)
	if toDay < fromDay || (toDay-fromDay)/dayMs >= maxSeriesDays {
		return nil, errs.E(errs.Invalid, "The chart's range must run forwards and span at most 400 days.")
	}
	aggs, err := r.store.Stats(ctx, siteID, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	n := int((toDay-fromDay)/dayMs) + 1
	type day struct {
		pageviews int64
		sk        []byte
	}
	days := make([]day, n)
	for _, ag := range aggs {
		if ag.Dim != DimTotal || ag.Value != "" || ag.Day < fromDay || ag.Day > toDay {
			continue
		}
		i := int((ag.Day - fromDay) / dayMs)
		days[i].pageviews += ag.Counters.Pageviews
		if days[i].sk, err = MergeSketches(days[i].sk, ag.Visitors); err != nil {
			return nil, err
		}
	}
	out := make([]Point, n)
	for i, d := range days {
		p := Point{Day: time.UnixMilli(fromDay + int64(i)*dayMs).UTC()}
		v, err := estimate(d.sk)
		if err != nil {
			return nil, err
		}
		switch {
		case v >= int64(r.k):
			p.Visitors, p.Pageviews = int(v), int(d.pageviews)
		case v > 0 || d.pageviews > 0:
			p.Suppressed = true
		}
		out[i] = p
	}
	return out, nil
}
