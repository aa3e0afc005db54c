package analytics

import (
	"context"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/staff"
)

// The weekly statistics mail. Staff who may see the statistics opt in per site; each
// Monday after 06:00 UTC a job queues one mail per opted-in member and site with the
// week before's totals and top pages and sources, suppression applied as on the
// dashboard. Aggregates only: the mail holds nothing about any visitor, and the
// member's own address is read sealed from the staff table when the mail is queued.

// ReportSubscription is one member's opt-in to one site's weekly mail, as the job reads
// it: the member's current role and sealed address (staff.SealEmail), and the site.
type ReportSubscription struct {
	StaffID     int64
	Role        staff.Role
	EmailSealed string
	Site        Site
}

// WeeklyStore keeps the opt-ins. SetReportSubscription turns one on (remembering
// sentWeek as the last week mailed, unless a later one is stored) or off; it returns
// not_found for an unknown site. DueReportSubscriptions lists the opt-ins of active
// members whose last week mailed is before week. QueueWeeklyReport records week as
// mailed and queues q in one transaction, and reports false (queueing nothing) when
// the week was already recorded, by this instance or another.
type WeeklyStore interface {
	SetReportSubscription(ctx context.Context, staffID, siteID int64, on bool, sentWeek int64, at time.Time) error
	ReportSubscribed(ctx context.Context, staffID, siteID int64) (bool, error)
	DueReportSubscriptions(ctx context.Context, week int64) ([]ReportSubscription, error)
	QueueWeeklyReport(ctx context.Context, staffID, siteID, week int64, q mail.Queued) (bool, error)
}

// WeeklyTopN is how many pages and sources the weekly mail lists before "(other)".
const WeeklyTopN = 5

// weeklyHour is the hour of Monday (UTC) from which last week's mail is due.
const weeklyHour = 6

// WeeklyOptions configure the weekly mail.
type WeeklyOptions struct {
	PublicURL  string           // the base of the dashboard link, without a trailing slash
	MailDomain string           // the domain of Message-IDs
	Notify     func()           // wakes the mail worker after queueing; optional
	Now        func() time.Time // the clock; time.Now
}

// Weekly manages the opt-ins to the weekly statistics mail and queues the mails.
type Weekly struct {
	store   WeeklyStore
	reports *Reports // built with topN WeeklyTopN
	sealer  mail.Sealer
	audit   Auditor
	o       WeeklyOptions
}

// NewWeekly returns the weekly mail service. reports must be built with WeeklyTopN and
// the installation's k; sealer opens staff addresses and seals the mails.
func NewWeekly(store WeeklyStore, reports *Reports, sealer mail.Sealer, audit Auditor, o WeeklyOptions) *Weekly {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Notify == nil {
		o.Notify = func() {}
	}
	return &Weekly{store: store, reports: reports, sealer: sealer, audit: audit, o: o}
}

// weekOf returns the Unix milliseconds of the Monday 00:00 UTC that starts t's week.
func weekOf(t time.Time) int64 {
	d := time.UnixMilli(DayOf(t)).UTC()
	return d.AddDate(0, 0, -(int(d.Weekday())+6)%7).UnixMilli()
}

// dueWeek is the week whose mail is due at now: the last full week before the most
// recent Monday 06:00 UTC.
func dueWeek(now time.Time) int64 {
	monday := time.UnixMilli(weekOf(now)).UTC()
	if now.Before(monday.Add(weeklyHour * time.Hour)) {
		monday = monday.AddDate(0, 0, -7)
	}
	return monday.AddDate(0, 0, -7).UnixMilli()
}

// Subscribed reports whether the actor receives site's weekly mail; the actor needs
// staff.ViewStats.
func (w *Weekly) Subscribed(ctx context.Context, actor staff.Principal, siteID int64) (bool, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return false, err
	}
	return w.store.ReportSubscribed(ctx, actor.ID, siteID)
}

// Subscribe turns the actor's weekly mail of site on or off; the actor, a staff member,
// needs staff.ViewStats. The first mail is the next one due (never a past week's). The
// change is audited.
func (w *Weekly) Subscribe(ctx context.Context, actor staff.Principal, siteID int64, on bool) error {
	if err := actor.Require(staff.ViewStats); err != nil {
		return err
	}
	if actor.ID <= 0 {
		return errs.E(errs.Forbidden, "Only a staff member can receive the weekly mail.")
	}
	now := w.o.Now().UTC()
	if err := w.store.SetReportSubscription(ctx, actor.ID, siteID, on, dueWeek(now), now); err != nil {
		return err
	}
	action := "stats.report.unsubscribe"
	if on {
		action = "stats.report.subscribe"
	}
	return w.audit.Record(ctx, actor.Name, action, "site:"+strconv.FormatInt(siteID, 10))
}

// Send queues the weekly mail due now to every opted-in active member who still may
// see the statistics, one per member and site, at most once per week. It returns how
// many mails it queued. It is the periodic job of `candor serve`; several instances may
// run it at once.
func (w *Weekly) Send(ctx context.Context) (int64, error) {
	now := w.o.Now().UTC()
	week := dueWeek(now)
	subs, err := w.store.DueReportSubscriptions(ctx, week)
	if err != nil {
		return 0, err
	}
	from := time.UnixMilli(week).UTC()
	to := from.AddDate(0, 0, 6)
	reports := map[int64]Report{} // per site: the figures do not depend on the reader
	var n int64
	for _, sub := range subs {
		actor := staff.Principal{ID: sub.StaffID, Role: sub.Role, Name: staff.Subject(sub.StaffID)}
		if !actor.Can(staff.ViewStats) {
			continue // lost the permission: the opt-in stays, nothing is sent
		}
		rep, ok := reports[sub.Site.ID]
		if !ok {
			if rep, err = w.reports.Summary(ctx, actor, sub.Site.ID, from, to); err != nil {
				return n, err
			}
			reports[sub.Site.ID] = rep
		}
		q, err := w.compose(sub, rep, from, to, now)
		if err != nil {
			return n, err
		}
		queued, err := w.store.QueueWeeklyReport(ctx, sub.StaffID, sub.Site.ID, week, q)
		if err != nil {
			return n, err
		}
		if queued {
			n++
		}
	}
	if n > 0 {
		w.o.Notify()
	}
	return n, nil
}
