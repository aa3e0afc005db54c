package cli

import (
	"strings"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
)

// statsWeekly is the weekly statistics mail: the opt-ins (the dashboard's checkbox)
// and the job that queues the mails in the outbox, figures as `candor stats` shows them
// with the top WeeklyTopN pages and sources.
func (a *app) statsWeekly() *analytics.Weekly {
	return analytics.NewWeekly(sqldb.StatsReportStore{DB: a.db}, a.statsReports(analytics.WeeklyTopN), a.sealer, a.audit,
		analytics.WeeklyOptions{
			PublicURL: strings.TrimSuffix(a.cfg.PublicURL.String(), "/"), MailDomain: mailDomain(a.cfg),
			Notify: a.mailer.Notify,
		})
}
