package cli

import (
	"context"
	"strings"

	"github.com/candor-dev/candor/internal/promises"
	"github.com/candor-dev/candor/internal/sqldb"
)

// newPrivacyDaily builds the daily run of the privacy checks: every check over the
// inputs of `candor audit privacy` (privacyInputs), the results kept in
// privacy_checks, and a mail with a link to /admin/promises for each active owner when
// a check turns red. The job of `candor serve` and the Promises page's "Run the checks
// now" share it, so they run one at a time. It logs counts and the ids of red checks
// only; never a detail.
func (a *app) newPrivacyDaily() *promises.Daily {
	store := sqldb.PromiseStore{DB: a.db}
	return &promises.Daily{
		Inputs: a.privacyInputs, Ledger: store, Owners: store, Sealer: a.sealer,
		PublicURL: strings.TrimSuffix(a.cfg.PublicURL.String(), "/"), MailDomain: mailDomain(a.cfg),
		Notify: a.mailer.Notify, Log: a.log, Audit: a.audit,
	}
}

// auditPrivacyDaily is the daily job of `candor serve` (newPrivacyDaily).
func (a *app) auditPrivacyDaily(ctx context.Context) (int64, error) {
	_, _, err := a.privacy.Run(ctx)
	return 0, err
}
