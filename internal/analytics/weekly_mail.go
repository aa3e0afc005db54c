package analytics

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// compose writes one member's weekly mail for rep (a report built with WeeklyTopN) and
// seals it for the outbox. Every figure passes through Label: a suppressed cell reads
// "< k", exactly as on the dashboard.
func (w *Weekly) compose(sub ReportSubscription, rep Report, from, to, now time.Time) (mail.Queued, error) {
	plain, err := w.sealer.OpenString(staff.SealEmail, sub.EmailSealed)
	if err != nil {
		return mail.Queued{}, errs.Wrap(errs.Internal, "", err)
	}
	addr, err := pii.NewEmail(plain)
	if err != nil {
		return mail.Queued{}, errs.Wrap(errs.Internal, "", err)
	}
	period := from.Format("2 Jan") + " – " + to.Format("2 Jan 2006")
	k := rep.MinCount
	var b strings.Builder
	fmt.Fprintf(&b, "Visitor statistics of %s (%s), %s (UTC days).\n\n", sub.Site.Name, sub.Site.Domain, period)
	t := rep.Totals
	label := func(n int64) string { return Label(n, t.Suppressed, k) }
	fmt.Fprintf(&b, "  Visitors    %s\n  Page views  %s\n  Visits      %s\n", label(t.Visitors), label(t.Pageviews), label(t.Visits))
	if !t.Suppressed {
		fmt.Fprintf(&b, "  Bounce rate %.0f %%\n  Visit time  %s on average\n", t.BounceRate*100, (time.Duration(t.AvgDurationMs) * time.Millisecond).Round(time.Second))
	}
	for _, d := range []struct{ dim, title string }{{DimPage, "Top pages"}, {DimSource, "Top sources"}} {
		fmt.Fprintf(&b, "\n%s (visitors):\n", d.title)
		rows := rowsOf(rep, d.dim)
		if len(rows) == 0 {
			b.WriteString("  none\n")
		}
		for _, row := range rows {
			value := row.Value
			if value == "" {
				value = "(none)"
			}
			fmt.Fprintf(&b, "  %-8s %s\n", Label(row.Visitors, row.Suppressed, k), oneLine(value))
		}
	}
	fmt.Fprintf(&b, "\nGroups of fewer than %d visitors are shown as \"< %d\" and folded into (other); nothing about any single visitor is kept.\n", k, k)
	fmt.Fprintf(&b, "\nThe dashboard: %s\n", w.dashboardURL(sub.Site.ID, from, to))
	b.WriteString("To stop this mail, untick \"Email me a weekly summary\" on that page.\n")
	return mail.Compose(w.sealer, mail.Draft{Purpose: "stats.weekly", To: addr, Content: mail.Content{
		Subject: oneLine("Weekly statistics: " + sub.Site.Name + ", " + period),
		Text:    b.String(),
		Headers: map[string]string{"Auto-Submitted": "auto-generated"},
	}}, w.o.MailDomain, now)
}

// rowsOf returns the rows of one dimension of rep.
func rowsOf(rep Report, dim string) []Row {
	for _, d := range rep.Dimensions {
		if d.Name == dim {
			return d.Rows
		}
	}
	return nil
}

// dashboardURL links to the dashboard's custom range of the week.
func (w *Weekly) dashboardURL(site int64, from, to time.Time) string {
	v := url.Values{"site": {strconv.FormatInt(site, 10)}, "range": {"custom"},
		"from": {from.Format(time.DateOnly)}, "to": {to.Format(time.DateOnly)}}
	return w.o.PublicURL + "/admin/stats?" + v.Encode()
}

// oneLine replaces control characters (line breaks included) by spaces: values are
// cleaned when counted, this keeps a mail line one line whatever was stored.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
