package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/privacy"
)

// overdue holds, for each time-bound retention rule, the counts of what its step of
// the retention job (retention.go and the domain stores) deletes or blanks: each ? of a
// query is the rule's cut-off. A rule with two kinds of record sums
// two counts.
var overdue = map[string][]string{
	privacy.RulePending: {"SELECT COUNT(*) FROM subscribers WHERE status = 'pending' AND confirmation_sent_at < ?"},
	privacy.RuleOutbox: {`SELECT COUNT(*) FROM mail_outbox WHERE campaign_id IS NULL AND status IN ('sent', 'dead', 'cancelled')
		AND COALESCE(sent_at, created_at) < ?`},
	privacy.RuleContactSpam:   {"SELECT COUNT(*) FROM contact_conversations WHERE folder = 'spam' AND folder_changed_at < ?"},
	privacy.RuleContactReview: {"SELECT COUNT(*) FROM contact_conversations WHERE folder = 'review' AND folder_changed_at < ?"},
	privacy.RuleContactClosed: {"SELECT COUNT(*) FROM contact_conversations WHERE folder = 'closed' AND folder_changed_at < ?"},
	privacy.RuleContactIdle:   {"SELECT COUNT(*) FROM contact_conversations WHERE folder IN ('new', 'open', 'waiting') AND updated_at < ?"},
	privacy.RuleCheckout: {`SELECT COUNT(*) FROM shop_orders WHERE status = 'failed' AND paid_at = 0
		AND invoice_no IS NULL AND updated_at < ?`},
	privacy.RuleOrder: {"SELECT COUNT(*) FROM shop_orders WHERE paid_at > 0 AND paid_at < ? AND email_sealed <> ''",
		"SELECT COUNT(*) FROM shop_payment_events WHERE received_at < ?"},
	privacy.RuleStaffAccount: {"SELECT COUNT(*) FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?"},
	privacy.RuleStaffSession: {"SELECT COUNT(*) FROM staff_sessions WHERE last_seen_at < ?"},
	privacy.RuleStats:        {"SELECT COUNT(*) FROM stat_cells WHERE day < ?", "SELECT COUNT(*) FROM stats WHERE day < ?"},
}

// Overdue counts the records the retention rule deletes or blanks that are older than
// before: after a run of the job with that cut-off it would be 0.
func (s PromiseStore) Overdue(ctx context.Context, rule string, before time.Time) (int64, error) {
	qs, ok := overdue[rule]
	if !ok {
		return 0, errs.E(errs.Invalid, "The retention rule "+rule+" has no time-bound query.")
	}
	var total int64
	for _, q := range qs {
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
