package analytics

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
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
}

// Export reports a site's figures and daily series from one UTC day to another,
// inclusive (at most 400 days). The actor needs staff.ViewStats.
func (r *Reports) Export(ctx context.Context, actor staff.Principal, site Site, from, to time.Time) (Export, error) {
	rep, err := r.Summary(ctx, actor, site.ID, from, to)
	if err != nil {
		return Export{}, err
	}
	daily, err := r.Daily(ctx, actor, site.ID, from, to)
	if err != nil {
		return Export{}, err
	}
	return Export{Site: site.Name, Report: rep, Daily: daily}, nil
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
var CSVHeader = []string{"site", "from", "to", "dimension", "value", "visitors", "pageviews", "visits", "events"}

// WriteCSV writes an export as CSV: one row for the totals (dimension "total"), one per
// day (dimension "day", value YYYY-MM-DD) and one per dimension value, in report order.
// Every number of a suppressed cell reads "< k"; every cell passes through csvsafe.
func WriteCSV(w io.Writer, x Export) error {
	cw := csv.NewWriter(w)
	k := x.MinCount
	write := func(dim, value string, suppressed bool, n ...int64) error {
		rec := []string{x.Site, x.From, x.To, dim, value}
		for _, v := range n {
			rec = append(rec, Label(v, suppressed, k))
		}
		for len(rec) < len(CSVHeader) {
			rec = append(rec, "")
		}
		for i := range rec {
			rec[i] = csvsafe.Cell(rec[i])
		}
		return cw.Write(rec)
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

// CSVName is a file name for an export: SITE_FROM_TO.csv.
func CSVName(x Export) string {
	return x.Site + "_" + x.From + "_" + x.To + ".csv"
}
