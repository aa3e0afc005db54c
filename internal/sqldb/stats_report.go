package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
)

// StatsReportStore keeps the opt-ins to the weekly statistics mail and the last week
// mailed to each; it implements analytics.WeeklyStore.
type StatsReportStore struct{ DB *DB }

var _ analytics.WeeklyStore = StatsReportStore{}

// SetReportSubscription turns a member's weekly mail of a site on (keeping a later last
// week mailed than sentWeek) or off; not_found for an unknown site.
func (s StatsReportStore) SetReportSubscription(ctx context.Context, staffID, siteID int64, on bool, sentWeek int64, at time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		if !on {
			_, err := tx.Exec(ctx, query("delete-report-subscription"), staffID, siteID)
			return err
		}
		err := Affected(tx.Exec(ctx, query("add-report-subscription"), staffID, toMillis(at), sentWeek, siteID))
		if errs.Is(err, errs.NotFound) { // no such site, or already on
			var n int
			if err := tx.QueryRow(ctx, query("site-exists"), siteID).Scan(&n); err != nil {
				return translate(err)
			}
			if n == 0 {
				return errs.E(errs.NotFound, "No such site.")
			}
			return nil
		}
		return err
	})
}

// ReportSubscribed reports whether a member receives a site's weekly mail.
func (s StatsReportStore) ReportSubscribed(ctx context.Context, staffID, siteID int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, query("report-subscribed"), staffID, siteID).Scan(&n)
	return n > 0, translate(err)
}

// DueReportSubscriptions lists the opt-ins of active members not yet mailed week (or a
// later one), with each member's role and sealed address, by site then member.
func (s StatsReportStore) DueReportSubscriptions(ctx context.Context, week int64) ([]analytics.ReportSubscription, error) {
	rows, err := s.DB.Query(ctx, query("due-report-subscriptions"), week)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []analytics.ReportSubscription
	for rows.Next() {
		var r analytics.ReportSubscription
		if err := rows.Scan(&r.StaffID, &r.Role, &r.EmailSealed, &r.Site.ID, &r.Site.Name, &r.Site.Domain); err != nil {
			return nil, translate(err)
		}
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// QueueWeeklyReport records week as mailed to the member for the site and queues q, in
// one transaction; false, queueing nothing, when that week (or a later one) was already
// recorded. On PostgreSQL a concurrent instance's UPDATE waits for this one's commit
// and then matches no row, so a week is mailed once.
func (s StatsReportStore) QueueWeeklyReport(ctx context.Context, staffID, siteID, week int64, q mail.Queued) (bool, error) {
	queued := false
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		err := Affected(tx.Exec(ctx, query("queue-weekly-report"), week, staffID, siteID, week))
		if errs.Is(err, errs.NotFound) {
			return nil // mailed already, or the opt-in was withdrawn meanwhile
		}
		if err != nil {
			return err
		}
		if _, err := InsertOutbox(ctx, tx, q); err != nil {
			return err
		}
		queued = true
		return nil
	})
	return queued && err == nil, err
}
