package web

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// The sales report: paid orders summed per day, product and currency over a date
// range, with totals per currency. Counts and sums only: no buyer appears here, so
// the page is not a view of personal data.

// reportDays is the default range: the last 30 days, today included.
const reportDays = 30

// salesTotal sums the report's rows of one currency (amounts in different currencies
// are never added together).
type salesTotal struct {
	Currency             string
	Orders, Units        int
	Gross, Tax, Refunded int64
}

type shopReportData struct {
	From, To string // YYYY-MM-DD as the form shows them
	Rows     []shop.SalesRow
	Totals   []salesTotal
}

// shopReport shows the sales report for ?from=&to= (dates, UTC, both included).
func (s *shopAdmin) shopReport(w http.ResponseWriter, r *http.Request) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	from, to := today.AddDate(0, 0, 1-reportDays), today
	d := shopReportData{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
	p := page{Title: "Sales report", Nav: "shop"}
	var err error
	if v := r.URL.Query().Get("from"); v != "" {
		d.From = v
		if from, err = time.Parse(time.DateOnly, v); err != nil {
			err = errs.InvalidField("from", "Choose a start date.")
		}
	}
	if v := r.URL.Query().Get("to"); v != "" && err == nil {
		d.To = v
		if to, err = time.Parse(time.DateOnly, v); err != nil {
			err = errs.InvalidField("to", "Choose an end date.")
		}
	}
	if err == nil {
		d.Rows, err = s.shop.SalesReport(r.Context(), principal(r), from, to)
	}
	st := http.StatusOK
	if err != nil {
		if st = status(err); st != http.StatusBadRequest {
			s.fail(w, r, err)
			return
		}
		p.Error, p.Field = errs.PublicOf(err), fieldOf(err)
	}
	d.Totals = salesTotals(d.Rows)
	p.Data = d
	s.render(w, r, st, "shop_admin_report", p)
}

// salesTotals sums rows per currency, sorted by currency.
func salesTotals(rows []shop.SalesRow) []salesTotal {
	var out []salesTotal
	for _, row := range rows {
		i := slices.IndexFunc(out, func(t salesTotal) bool { return t.Currency == row.Currency })
		if i < 0 {
			out = append(out, salesTotal{Currency: row.Currency})
			i = len(out) - 1
		}
		t := &out[i]
		t.Orders += row.Orders
		t.Units += row.Units
		t.Gross += row.Gross
		t.Tax += row.Tax
		t.Refunded += row.Refunded
	}
	slices.SortFunc(out, func(a, b salesTotal) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}
