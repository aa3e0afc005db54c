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
	fromDay, toDay := DayOf(from), DayOf(to)
	if toDay < fromDay || (toDay-fromDay)/dayMs >= maxSeriesDays {
		return nil, errs.E(errs.Invalid, "The chart's range must run forwards and span at most 400 days.")
	}
	rows, err := r.store.DayCells(ctx, siteID, fromDay, toDay, DimTotal)
	if err != nil {
		return nil, err
	}
	n := int((toDay-fromDay)/dayMs) + 1
	days := make([]sums, n)
	for _, d := range rows {
		if d.Day < fromDay || d.Day > toDay {
			continue
		}
		t := tally{}
		if err := t.add(d); err != nil {
			return nil, err
		}
		s, day := t.get(DimTotal, ""), &days[(d.Day-fromDay)/dayMs]
		day.c.add(s.c)
		day.visitors += s.visitors
	}
	out := make([]Point, n)
	for i, d := range days {
		p := Point{Day: time.UnixMilli(fromDay + int64(i)*dayMs).UTC()}
		switch {
		case d.visitors >= int64(r.k):
			p.Visitors, p.Pageviews = int(d.visitors), int(d.c.Pageviews)
		case d.visitors > 0 || d.c.Pageviews > 0:
			p.Suppressed = true
		}
		out[i] = p
	}
	return out, nil
}
