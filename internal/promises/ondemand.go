package promises

import (
	"context"
	"strings"

	"github.com/candor-dev/candor/internal/staff"
)

// Recorder records an action in the audit log (audit.Log).
type Recorder interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}

// Latest returns the last result of every check for the admin Promises page (see the
// package function Latest). The member needs staff.ManageSettings, the permission that
// covers the privacy_checks table in the inventory.
func (d *Daily) Latest(ctx context.Context, by staff.Principal) ([]Result, error) {
	if err := by.Require(staff.ManageSettings); err != nil {
		return nil, err
	}
	return Latest(ctx, d.Ledger)
}

// RunNow is the Promises page's "Run the checks now": the daily run itself (results
// kept, owners mailed when a check turns red), asked for by a member with
// staff.ManageSettings and recorded in the audit log as promises.run first. It waits
// for a run under way to end, then returns what Latest returns.
func (d *Daily) RunNow(ctx context.Context, by staff.Principal) ([]Result, error) {
	if err := by.Require(staff.ManageSettings); err != nil {
		return nil, err
	}
	if d.Audit != nil {
		if err := d.Audit.Record(ctx, by.Name, "promises.run", ""); err != nil {
			return nil, err
		}
	}
	if _, _, err := d.Run(ctx); err != nil {
		return nil, err
	}
	return Latest(ctx, d.Ledger)
}

// logRun logs one run: counts and the ids of the red checks, never a message or a
// listing (a warning when a check is red).
func (d *Daily) logRun(rep Report, mailed int) {
	if d.Log == nil {
		return
	}
	ok, findings, errors := rep.Counts()
	var red []string
	for _, r := range rep.Red() {
		red = append(red, r.ID)
	}
	log := d.Log.Info
	if len(red) > 0 {
		log = d.Log.Warn
	}
	log("privacy audit", "ok", ok, "findings", findings, "errors", errors, "red", strings.Join(red, ","), "owners_mailed", mailed)
}
