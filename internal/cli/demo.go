package cli

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// DemoOwnerEmail is the demo owner account's email.
const DemoOwnerEmail = "owner@demo.example"

// seedDemo makes sure the demo owner exists with a fresh one-time password, printed to
// the operator's terminal (demo mode listens on loopback only; config enforces it). A
// demo owner someone disabled stays disabled: a restart does not undo that decision.
func seedDemo(ctx context.Context, a *app, out io.Writer) error {
	pw := rand.Text()
	m, err := a.staff.FindByEmail(ctx, staff.CLI, DemoOwnerEmail)
	switch {
	case errs.Is(err, errs.NotFound):
		_, err = a.staff.Add(ctx, staff.CLI, DemoOwnerEmail, staff.Owner, pw, true)
	case err == nil && m.Disabled:
		pw = ""
	case err == nil:
		_, err = a.staff.ResetPassword(ctx, staff.CLI, m.ID, pw)
	}
	if err != nil {
		return fmt.Errorf("seeding the demo: %w", err)
	}
	// The demo site "/" counts its own visits with the tracker: register it (once), with
	// a month of sample visits so the statistics have something to show.
	sites := a.sites
	site, err := sites.Add(ctx, staff.CLI, "demo", "127.0.0.1")
	if errs.Is(err, errs.Conflict) {
		site, err = sites.ByName(ctx, "demo")
	}
	if err != nil {
		return fmt.Errorf("seeding the demo site: %w", err)
	}
	if err := seedDemoStats(ctx, a, site); err != nil {
		return err
	}
	if err := seedDemoShop(ctx, a); err != nil {
		return err
	}
	if pw == "" {
		fmt.Fprintf(out, "Demo owner: %s is disabled and stays so (candor staff enable --email %s to undo)\n", DemoOwnerEmail, DemoOwnerEmail)
		return nil
	}
	fmt.Fprintf(out, "Demo owner: %s  one-time password: %s  (you will choose your own at first sign-in)\n", DemoOwnerEmail, pw)
	return nil
}
