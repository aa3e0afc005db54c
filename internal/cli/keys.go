package cli

import (
	"context"
	"fmt"

	"github.com/candor-dev/candor/internal/pii"
)

func runKeys(ctx context.Context, inv *invocation) error {
	if len(inv.args) == 0 || inv.args[0] != "rotate" {
		if len(inv.args) > 0 && (inv.args[0] == "-h" || inv.args[0] == "--help") {
			fmt.Fprintln(inv.env.Stdout, "Usage: candor keys rotate [options]\n\nAdds a new data key to the key file and re-seals every sealed value with it.\nWith CANDOR_KEYS set, add the new 'seal' line to your secret store first; rotate then only re-seals.")
			return nil
		}
		return fmt.Errorf("%w: candor keys rotate", errUsage)
	}
	inv.args = inv.args[1:]
	if err := inv.parse(); err != nil {
		return err
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	if inv.cfg.Keys == "" {
		id, err := a.keyring.AddSealKey()
		if err != nil {
			return err
		}
		if err := pii.WriteKeyFile(inv.cfg.KeyFile(), a.keyring); err != nil {
			return err
		}
		a.sealer = pii.NewSealer(a.keyring)
		fmt.Fprintf(inv.env.Stdout, "added data key %d to %s\n", id, inv.cfg.KeyFile())
	} else {
		fmt.Fprintf(inv.env.Stdout, "CANDOR_KEYS is set: re-sealing under its newest key, %d\n", a.keyring.NewestID())
	}
	n, err := a.db.Reseal(ctx, a.sealer)
	if err != nil {
		return fmt.Errorf("re-sealing stopped after %d values (run it again to continue): %w", n, err)
	}
	fmt.Fprintf(inv.env.Stdout, "re-sealed %d values; older keys can be removed once every instance has the new one\n", n)
	return nil
}

func runAudit(ctx context.Context, inv *invocation) error {
	if len(inv.args) == 0 || inv.args[0] != "verify" {
		if len(inv.args) > 0 && (inv.args[0] == "-h" || inv.args[0] == "--help") {
			fmt.Fprintln(inv.env.Stdout, "Usage: candor audit verify [options]\n\nChecks the audit log's hash chain; exits 1 and names the first entry that does not fit.")
			return nil
		}
		return fmt.Errorf("%w: candor audit verify", errUsage)
	}
	inv.args = inv.args[1:]
	if err := inv.parse(); err != nil {
		return err
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	n, problem, err := a.audit.Verify(ctx)
	if err != nil {
		return err
	}
	if problem != nil {
		return fmt.Errorf("audit log tampered: %s", problem)
	}
	fmt.Fprintf(inv.env.Stdout, "audit log intact: %d entries verified\n", n)
	return nil
}
