package promises

import (
	"context"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

type recorded struct{ actions []string }

func (r *recorded) Record(_ context.Context, actor, action, _ string, _ ...string) error {
	r.actions = append(r.actions, actor+" "+action)
	return nil
}

// Promise: "Personal information is … only accessed by authorized … personnel." The
// Promises page's reads and runs are for members with settings.manage (owners,
// admins), checked here in the domain and not only by the web guard; a run asked for
// is audited with its member.
func TestRunNowNeedsSettingsAndIsAudited(t *testing.T) {
	ctx := context.Background()
	l, rec := &ledger{}, &recorded{}
	d := &Daily{Inputs: func() Inputs { return Inputs{Files: []string{t.TempDir()}, Data: noData{}, Chain: &chain{}} },
		Ledger: l, Owners: &owners{}, Audit: rec}
	support := staff.Principal{ID: 7, Role: staff.Support, Name: "staff:7"}
	if _, err := d.Latest(ctx, support); !errs.Is(err, errs.Forbidden) {
		t.Errorf("support read the checks: %v", err)
	}
	if _, err := d.RunNow(ctx, support); !errs.Is(err, errs.Forbidden) || len(l.last) != 0 || len(rec.actions) != 0 {
		t.Errorf("support ran the checks: %v (%d stored, audit %v)", err, len(l.last), rec.actions)
	}
	admin := staff.Principal{ID: 2, Role: staff.Admin, Name: "staff:2"}
	got, err := d.RunNow(ctx, admin)
	if err != nil || len(got) != len(Checks()) || len(l.last) != len(Checks()) {
		t.Fatalf("the admin's run: %d results, %d stored, %v", len(got), len(l.last), err)
	}
	for _, r := range got {
		if r.Status == StatusNotRun || r.Title == "" || r.Promise == "" {
			t.Errorf("after a run, %s is %q with title %q and promise %q", r.ID, r.Status, r.Title, r.Promise)
		}
	}
	if len(rec.actions) != 1 || rec.actions[0] != "staff:2 promises.run" {
		t.Errorf("audit %v; want one promises.run by staff:2", rec.actions)
	}
}
