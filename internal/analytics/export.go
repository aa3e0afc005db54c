package analytics

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/csvsafe"
	"github.com/candor-dev/candor/internal/staff"
)

// Export is a report with its daily series: what `candor stats --json` prints, the JSON
// API answers and the CSV export writes. Suppression is applied, and a suppressed cell
// carries no number at all in JSON (only "suppressed": true) and "< k" in CSV.
type Export struct {
	Site string `json:"site"`
	Report
	Daily []Point `json:"daily"`
	// Chart is the dashboard's chart: by the step asked for (or DefaultBy), of the
	// filter value when the scope has one, else of the site's total.
	Chart Series `json:"chart"`
}

// Export reports a site's figures and daily series from one UTC day to another,
// inclusive (at most 400 days). The actor needs staff.ViewStats.
func (r *Reports) Export(ctx context.Context, actor staff.Principal, site Site, from, to time.Time) (Export, error) {
	return r.ExportScope(ctx, actor, site, from, to, Scope{}, "")
}

// ExportScope is Export with a scope (a filter, goals: see Report) and the chart's step
// (by: "" for DefaultBy).
func (r *Reports) ExportScope(ctx context.Context, actor staff.Principal, site Site, from, to time.Time, sc Scope, by string) (Export, error) {
	rep, err := r.Report(ctx, actor, site.ID, from, to, sc)
	if err != nil {
		return Export{}, err
	}
	chart, err := r.Series(ctx, actor, site.ID, from, to, by, sc.Filter)
	if err != nil {
		return Export{}, err
	}
	daily := chart.Points // the site's days, when that is what the chart is
	if chart.By != ByDay || !sc.Filter.IsZero() {
		if daily, err = r.Daily(ctx, actor, site.ID, from, to); err != nil {
			return Export{}, err
		}
	}
	return Export{Site: site.Name, Report: rep, Daily: daily, Chart: chart}, nil
}

// MarshalJSON writes a suppressed row as its value and "suppressed": true, no numbers.
func (row Row) MarshalJSON() ([]byte, error) {
	if row.Suppressed {
		return json.Marshal(struct {
			Value      string `json:"value"`
			Suppressed bool   `json:"suppressed"`
		}{row.Value, true})
	}
	type plain Row
	return json.Marshal(plain(row))
}

// MarshalJSON writes suppressed totals as "suppressed": true, no numbers.
func (t Totals) MarshalJSON() ([]byte, error) {
	if t.Suppressed {
		return []byte(`{"suppressed":true}`), nil
	}
	type plain Totals
	return json.Marshal(plain(t))
}

// MarshalJSON writes a suppressed day as its date and "suppressed": true, no numbers.
func (p Point) MarshalJSON() ([]byte, error) {
	if p.Suppressed {
		return json.Marshal(struct {
			Day        time.Time `json:"day"`
			Suppressed bool      `json:"suppressed"`
		}{p.Day, true})
	}
	type plain Point
	return json.Marshal(plain(p))
}

// CSVHeader is the first line of a CSV export.
var CSVHeader = []string{"site", "from", "to", "dimension", "value", "visitors", "pageviews", "visits", "events", "conversion"}

// WriteCSV writes an export as CSV: one row for the totals (dimension "total"), one per
// day (dimension "day", value YYYY-MM-DD), one per step of the chart when it is not the
// site's daily series (dimension "chart_hour", "chart_day", "chart_week" or
// "chart_month", value the step's start), the filter value's totals (dimension
// "filter", value DIMENSION=VALUE), one per goal (dimension "goal", value its label,
// with its conversion rate, 0–1) and one per dimension value, in report order. Every
// number of a suppressed cell reads "< k"; every cell passes through csvsafe.
func WriteCSV(w io.Writer, x Export) error {
	cw := csv.NewWriter(w)
	k := x.MinCount
	write := func(dim, value string, suppressed bool, n ...int64) error {
		rec := []string{x.Site, x.From, x.To, dim, value}
		for _, v := range n {
			rec = append(rec, Label(v, suppressed, k))
		}
		return writeRecord(cw, rec)
	}
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	t := x.Totals
	if err := write(DimTotal, "", t.Suppressed, t.Visitors, t.Pageviews, t.Visits, t.Events); err != nil {
		return err
	}
	for _, p := range x.Daily {
		if err := write("day", p.Day.Format(time.DateOnly), p.Suppressed, int64(p.Visitors), int64(p.Pageviews)); err != nil {
			return err
		}
	}
	if x.Chart.By != ByDay || x.Filtered != nil {
		for _, p := range x.Chart.Points {
			if err := write("chart_"+x.Chart.By, stepLabel(x.Chart.By, p.Day), p.Suppressed, int64(p.Visitors), int64(p.Pageviews)); err != nil {
				return err
			}
		}
	}
	if f := x.Filtered; f != nil {
		ft := f.Totals
		if err := write("filter", f.Dim+"="+f.Value, ft.Suppressed, ft.Visitors, ft.Pageviews, ft.Visits, ft.Events); err != nil {
			return err
		}
	}
	for _, g := range x.Goals {
		rec := []string{x.Site, x.From, x.To, "goal", g.Goal.Label(), Label(g.Visitors, g.Suppressed, k), "", "", ""}
		if g.Suppressed {
			rec = append(rec, Label(0, true, k))
		} else {
			rec = append(rec, strconv.FormatFloat(g.Conversion, 'f', 4, 64))
		}
		if err := writeRecord(cw, rec); err != nil {
			return err
		}
	}
	for _, d := range x.Dimensions {
		for _, row := range d.Rows {
			if err := write(d.Name, row.Value, row.Suppressed, row.Visitors, row.Pageviews, row.Visits, row.Events); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// stepLabel prints the start of a chart's step: an hour as 2006-01-02T15:04Z, else the day.
func stepLabel(by string, t time.Time) string {
	if by == ByHour {
		return t.Format("2006-01-02T15:04Z")
	}
	return t.Format(time.DateOnly)
}

// writeRecord pads a record to the header's width and writes it through csvsafe.
func writeRecord(cw *csv.Writer, rec []string) error {
	for len(rec) < len(CSVHeader) {
		rec = append(rec, "")
	}
	for i := range rec {
		rec[i] = csvsafe.Cell(rec[i])
	}
	return cw.Write(rec)
}

// CSVName is a file name for an export: SITE_FROM_TO.csv.
func CSVName(x Export) string {
	return x.Site + "_" + x.From + "_" + x.To + ".csv"
}

// MarshalJSON writes a suppressed goal as the goal and "suppressed": true, no numbers.
func (g GoalResult) MarshalJSON() ([]byte, error) {
	if g.Suppressed {
		return json.Marshal(struct {
			Goal       Goal `json:"goal"`
			Suppressed bool `json:"suppressed"`
		}{g.Goal, true})
	}
	type plain GoalResult
	return json.Marshal(plain(g))
}
