package cli

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/sqldb"
)

// retentionSteps are the retention rules of docs/privacy.md that a job enforces, each
// with its configured period counted back from now.
func (a *app) retentionSteps(now time.Time) []privacy.Step {
	r := sqldb.RetentionStore{DB: a.db}
	inbox := sqldb.ContactStore{DB: a.db}
	before := func(d time.Duration) time.Time { return now.Add(-d) }
	folder := func(f contact.Folder, keep time.Duration) func(context.Context) (int64, error) {
		return func(ctx context.Context) (int64, error) { return inbox.Purge(ctx, f, before(keep)) }
	}
	until := func(keep time.Duration, run func(context.Context, time.Time) (int64, error)) func(context.Context) (int64, error) {
		return func(ctx context.Context) (int64, error) { return run(ctx, before(keep)) }
	}
	steps := []privacy.Step{
		{Rule: privacy.RulePending, Run: a.newsletter.PurgePending},
		{Rule: privacy.RuleOutbox, Run: until(a.cfg.OutboxRetention, sqldb.MailStore{DB: a.db}.PurgeFinished)},
		{Rule: privacy.RuleContactSpam, Run: folder(contact.Spam, a.cfg.RetentionSpam)},
		{Rule: privacy.RuleContactReview, Run: folder(contact.Review, a.cfg.RetentionReview)},
		{Rule: privacy.RuleContactClosed, Run: folder(contact.Closed, a.cfg.RetentionClosed)},
		{Rule: privacy.RuleContactIdle, Run: until(a.cfg.RetentionInactive, r.PurgeIdleConversations)},
		{Rule: privacy.RuleCheckout, Run: until(a.cfg.CheckoutRetention, r.PurgeCheckouts)},
		{Rule: privacy.RuleOrder, Run: func(ctx context.Context) (int64, error) {
			n, err := r.PseudonymiseOrders(ctx, before(a.cfg.OrderRetention))
			if err != nil {
				return n, err
			}
			m, err := r.PurgePaymentEvents(ctx, before(a.cfg.OrderRetention))
			return n + m, err
		}},
		{Rule: privacy.RuleStaffAccount, Run: until(a.cfg.StaffRetention, r.PurgeDisabledStaff)},
		{Rule: privacy.RuleDataRequest, Run: until(privacy.DataRequestRetention, r.PurgeDataRequests)},
	}
	if a.cfg.StatsRetention > 0 {
		steps = append(steps, privacy.Step{Rule: privacy.RuleStats, Run: until(a.cfg.StatsRetention, r.PurgeStats)})
	}
	return steps
}

// enforceRetention runs every retention rule once, logs how many records each touched
// (counts only, never what), and compacts the database when anything was erased.
func (a *app) enforceRetention(ctx context.Context) (int64, error) {
	counts, err := privacy.Enforce(ctx, a.retentionSteps(time.Now()), a.db.Compact)
	var total int64
	for _, c := range counts {
		if c.N > 0 {
			a.log.Info("retention", "rule", c.Rule, "count", c.N)
		}
		total += c.N
	}
	return total, err
}
