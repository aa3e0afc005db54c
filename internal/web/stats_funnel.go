package web

import (
	"context"
	"fmt"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/staff"
)

// funnelStep is one step of the shop funnel card.
type funnelStep struct {
	Label      string
	Count      string // a number, or "< k"
	Rate       string // share of the step before ("" for the first, "—" when not shown)
	Suppressed bool
}

// shopFunnel is the aggregate funnel of the statistics page: the site's visitors, the
// checkouts started and the purchases in the range. The shop's checkout pages carry no
// tracker (card pages never do), so the steps are counted apart — visitors by the
// statistics, checkouts and purchases by the shop — and nothing links one visitor to an
// order. Every step below k reads "< k" and hides the rates around it. Nil without a
// shop.
func (s *statsPages) shopFunnel(ctx context.Context, actor staff.Principal, site analytics.Totals, from, to time.Time, k int) ([]funnelStep, error) {
	if s.shop == nil {
		return nil, nil
	}
	f, err := s.shop.Funnel(ctx, actor, from, to)
	if err != nil {
		return nil, err
	}
	counts := []struct {
		label string
		n     int64
		small bool
	}{
		{"Visitors of the site", site.Visitors, site.Suppressed || site.Visitors < int64(k)},
		{"Checkouts started", int64(f.Started), f.Started < k},
		{"Purchases", int64(f.Paid), f.Paid < k},
	}
	steps := make([]funnelStep, len(counts))
	for i, c := range counts {
		steps[i] = funnelStep{Label: c.label, Count: analytics.Label(c.n, c.small, k), Suppressed: c.small}
		switch {
		case i == 0:
		case c.small || counts[i-1].small || counts[i-1].n == 0:
			steps[i].Rate = "—"
		default:
			steps[i].Rate = fmt.Sprintf("%.1f %%", float64(c.n)/float64(counts[i-1].n)*100)
		}
	}
	return steps, nil
}
