package cli

import (
	"context"
	"strings"

	"github.com/candor-dev/candor/internal/promises"
	"github.com/candor-dev/candor/internal/sqldb"
)

// auditPrivacyDaily is the daily job of `candor serve`: every privacy check, the
// results kept in privacy_checks for the Promises page, and a mail with a link to
// /admin/promises for each active owner when a check turns red. It logs counts and the
// ids of red checks only; never a detail.
func (a *app) auditPrivacyDaily(ctx context.Context) (int64, error) {
	store := sqldb.PromiseStore{DB: a.db}
	d := &promises.Daily{
		Inputs: a.privacyInputs, Ledger: store, Owners: store, Sealer: a.sealer,
		PublicURL: strings.TrimSuffix(a.cfg.PublicURL.String(), "/"), MailDomain: mailDomain(a.cfg),
	}
	rep, mailed, err := d.Run(ctx)
	if mailed > 0 {
		a.mailer.Notify()
	}
	ok, findings, errors := rep.Counts()
	var red []string
	for _, r := range rep.Red() {
		red = append(red, r.ID)
	}
	log := a.log.Info
	if len(red) > 0 {
		log = a.log.Warn
	}
	log("privacy audit", "ok", ok, "findings", findings, "errors", errors, "red", strings.Join(red, ","), "owners_mailed", mailed)
	return 0, err
}
