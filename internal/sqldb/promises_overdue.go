package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/privacy"
)

// overdue names, for each time-bound retention rule, the queries (queries/promises.sql)
// counting what its step of the retention job (retention.go and the domain stores)
// deletes or blanks: each ? of a query is the rule's cut-off. A rule with two kinds of
// record sums two counts.
var overdue = map[string][]string{
	privacy.RulePending:       {"overdue-pending"},
	privacy.RuleOutbox:        {"overdue-outbox"},
	privacy.RuleContactSpam:   {"overdue-contact-spam"},
	privacy.RuleContactReview: {"overdue-contact-review"},
	privacy.RuleContactClosed: {"overdue-contact-closed"},
	privacy.RuleContactIdle:   {"overdue-contact-idle"},
	privacy.RuleCheckout:      {"overdue-checkouts"},
	privacy.RuleOrder:         {"overdue-orders", "overdue-payment-events"},
	privacy.RuleStaffAccount:  {"overdue-staff-accounts"},
	privacy.RuleStaffSession:  {"overdue-staff-sessions"},
	privacy.RuleStats:         {"overdue-stat-cells", "overdue-stats"},
	privacy.RuleDataRequest:   {"overdue-data-requests"},
}

// Overdue counts the records the retention rule deletes or blanks that are older than
// before: after a run of the job with that cut-off it would be 0.
func (s PromiseStore) Overdue(ctx context.Context, rule string, before time.Time) (int64, error) {
	qs, ok := overdue[rule]
	if !ok {
		return 0, errs.E(errs.Invalid, "The retention rule "+rule+" has no time-bound query.")
	}
	var total int64
	for _, name := range qs {
		q := query(name)
		var n int64
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = toMillis(before)
		}
		if err := s.DB.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			return 0, translate(err)
		}
		total += n
	}
	return total, nil
}
