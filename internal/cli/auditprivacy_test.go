package cli

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/sqldb"
)

// Promise (docs/privacy-audit.md, check "retention"): every rule the retention job
// enforces is also audited: it has a configured period in the audit's inputs and an
// overdue count in storage. A new retention step without both fails here.
func TestEveryRetentionStepIsAudited(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if out, err := runCandor(t, "", "migrate", "--data-dir", dir); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	inv := (&invocation{cmd: command{name: "test"}, env: Env{Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard}}).
		withArgs([]string{"--data-dir", dir, "--stats-retention", "8760h"})
	if err := inv.parse(); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	in := a.privacyInputs()
	store := sqldb.PromiseStore{DB: a.db}
	for _, step := range a.retentionSteps(time.Now()) {
		if in.Periods[step.Rule] <= 0 {
			t.Errorf("retention rule %s is enforced but the audit has no period for it (privacyInputs)", step.Rule)
		}
		if _, err := store.Overdue(ctx, step.Rule, time.Now()); err != nil {
			t.Errorf("retention rule %s is enforced but storage cannot count what is overdue (promises_overdue.go): %v", step.Rule, err)
		}
	}
}
