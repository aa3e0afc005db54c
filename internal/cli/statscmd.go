package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/staff"
)

// runStats prints what the dashboard shows for a range, small-count suppression applied
// with the configured k (--stats-k); `candor stats token …` manages the API tokens.
func runStats(ctx context.Context, inv *invocation) error {
	if len(inv.args) > 0 && inv.args[0] == "token" {
		inv.args = inv.args[1:]
		return runStatsToken(ctx, inv)
	}
	site := inv.fs.String("site", "", "the site's NAME (see candor sites list)")
	from := inv.fs.String("from", "", "the first day, YYYY-MM-DD (UTC); default 29 days before --to")
	to := inv.fs.String("to", "", "the last day, YYYY-MM-DD (UTC), inclusive; default today")
	asJSON := inv.fs.Bool("json", false, "print JSON (with the daily series, at most 400 days) instead of tables")
	top := inv.fs.Int("top", analytics.DefaultTopN, "values shown per dimension before (other)")
	pos, err := inv.parseInterleaved()
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q", errUsage, pos[0])
	}
	if *site == "" {
		return fmt.Errorf("%w: candor stats needs --site NAME", errUsage)
	}
	end := time.Now().UTC()
	if *to != "" {
		if end, err = time.Parse(time.DateOnly, *to); err != nil {
			return fmt.Errorf("%w: --to must be YYYY-MM-DD", errUsage)
		}
	}
	start := end.AddDate(0, 0, -29)
	if *from != "" {
		if start, err = time.Parse(time.DateOnly, *from); err != nil {
			return fmt.Errorf("%w: --from must be YYYY-MM-DD", errUsage)
		}
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	s, err := siteByName(ctx, a, *site)
	if err != nil {
		return err
	}
	reports := a.reportsTop(*top)
	if *asJSON {
		x, err := reports.Export(ctx, staff.CLI, s, start, end)
		if err != nil {
			return fieldError(err, nil)
		}
		enc := json.NewEncoder(inv.env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	}
	rep, err := reports.Summary(ctx, staff.CLI, s.ID, start, end)
	if err != nil {
		return fieldError(err, nil)
	}
	printReport(inv, s, rep)
	return nil
}

func printReport(inv *invocation, s analytics.Site, rep analytics.Report) {
	w := inv.env.Stdout
	k := rep.MinCount
	t := rep.Totals
	fmt.Fprintf(w, "%s (%s), %s to %s (UTC). Cells of fewer than %d visitors show as \"< %d\".\n\n", s.Name, s.Domain, rep.From, rep.To, k, k)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if t.Suppressed {
		fmt.Fprintf(tw, "visitors\t< %d\n", k)
	} else {
		fmt.Fprintf(tw, "visitors\t%d\npage views\t%d\nvisits\t%d\nbounce rate\t%.0f%%\nvisit duration\t%s\nevents\t%d\n",
			t.Visitors, t.Pageviews, t.Visits, 100*t.BounceRate, (time.Duration(t.AvgDurationMs) * time.Millisecond).Round(time.Second), t.Events)
	}
	_ = tw.Flush()
	for _, d := range rep.Dimensions {
		if len(d.Rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", strings.ToUpper(strings.ReplaceAll(d.Name, "_", " ")))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		second := "PAGE VIEWS"
		switch d.Name {
		case analytics.DimEntry, analytics.DimExit:
			second = "VISITS"
		case analytics.DimEvent:
			second = "EVENTS"
		}
		fmt.Fprintf(tw, "  VALUE\tVISITORS\t%s\n", second)
		for _, r := range d.Rows {
			n := r.Pageviews
			switch d.Name {
			case analytics.DimEntry, analytics.DimExit:
				n = r.Visits
			case analytics.DimEvent:
				n = r.Events
			}
			v := r.Value
			if v == "" {
				v = "(none)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", printable(v), analytics.Label(r.Visitors, r.Suppressed, k), analytics.Label(n, r.Suppressed, k))
		}
		_ = tw.Flush()
	}
}
