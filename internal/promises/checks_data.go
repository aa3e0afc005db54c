package promises

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/privacy"
)

func checkRetention(ctx context.Context, in *Inputs) outcome {
	now := in.now()
	var details []string
	var errList []error
	rules := 0
	var total int64
	for _, r := range privacy.Rules {
		period := in.Periods[r.Name]
		if period <= 0 {
			continue
		}
		rules++
		n, err := in.Data.Overdue(ctx, r.Name, now.Add(-period-in.Grace))
		if err != nil {
			errList = append(errList, fmt.Errorf("rule %s: %w", r.Name, err))
			continue
		}
		if n > 0 {
			total += n
			details = append(details, fmt.Sprintf("%s: %d records older than %s + %s", r.Name, n, period, in.Grace))
		}
	}
	if err := errors.Join(errList...); err != nil {
		return failed(err)
	}
	if total > 0 {
		return finding(details, "%d records past their retention period under %d rules", total, len(details))
	}
	return ok("%d time-bound retention rules, nothing overdue (grace %s)", rules, in.Grace)
}

// statsTables are the tables of counted visitor data: those the inventory keeps under
// the statistics retention rule.
func statsTables() []string {
	var out []string
	for _, f := range privacy.Inventory() {
		if f.Retention == privacy.RuleStats && (len(out) == 0 || out[len(out)-1] != f.Table) {
			out = append(out, f.Table)
		}
	}
	return out
}

func checkStatsIPs(ctx context.Context, in *Inputs) outcome {
	cols, err := in.Data.TextColumns(ctx, statsTables())
	if err != nil {
		return failed(err)
	}
	var details []string
	for _, c := range cols {
		n := 0
		err := in.Data.Values(ctx, c[0], c[1], func(v []byte) error {
			if hasIP(c, v) {
				n++
			}
			return nil
		})
		if err != nil {
			return failed(err)
		}
		if n > 0 {
			details = append(details, fmt.Sprintf("%s.%s: %d values", c[0], c[1], n))
		}
	}
	if len(details) > 0 {
		return finding(details, "raw IP addresses in %d statistics columns", len(details))
	}
	return ok("%d text columns of the statistics read, no IP address", len(cols))
}

// hasIP reads one value of a statistics column: the packed cells of stat_cells are
// unpacked first (they are front-coded, so their raw bytes do not show every value).
func hasIP(col [2]string, v []byte) bool {
	if col != [2]string{"stat_cells", "cells"} {
		return ContainsIP(v)
	}
	aggs, err := analytics.DayCells{Data: v}.Aggregates(0)
	if err != nil {
		return ContainsIP(v)
	}
	for _, a := range aggs {
		if ContainsIP([]byte(a.Value)) {
			return true
		}
	}
	return false
}

func checkSealed(ctx context.Context, in *Inputs) outcome {
	var details []string
	cols := 0
	for _, f := range privacy.Inventory() {
		if !f.Sealed {
			continue
		}
		cols++
		n := 0
		err := in.Data.Values(ctx, f.Table, f.Column, func(v []byte) error {
			if _, err := pii.KeyIDOf(string(v)); err != nil {
				n++
			}
			return nil
		})
		if err != nil {
			return failed(err)
		}
		if n > 0 {
			details = append(details, fmt.Sprintf("%s.%s: %d unsealed values", f.Table, f.Column, n))
		}
	}
	if len(details) > 0 {
		return finding(details, "unsealed values in %d sealed columns", len(details))
	}
	return ok("every value of the %d sealed columns is sealed (all rows read)", cols)
}

func checkChain(ctx context.Context, in *Inputs) outcome {
	n, problem, err := in.Chain.Verify(ctx)
	if err != nil {
		return failed(err)
	}
	if problem != nil {
		return finding([]string{problem.String()}, "the audit log does not verify: %s", problem)
	}
	return ok("%d audit entries verified", n)
}

func checkOutbox(ctx context.Context, in *Inputs) outcome {
	limit := in.MailLimit
	n, err := in.Data.QueuedBefore(ctx, in.now().Add(-limit))
	if err != nil {
		return failed(err)
	}
	if n > 0 {
		return finding([]string{fmt.Sprintf("mail_outbox: %d transactional mails queued more than %s ago", n, limit)},
			"%d mails queued longer than %s: is the relay (--smtp) set and reachable?", n, limit)
	}
	return ok("no transactional mail queued longer than %s", limit.Round(time.Hour))
}
