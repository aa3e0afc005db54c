package cli

import (
	"context"
	"fmt"

	"github.com/candor-dev/candor/internal/pii"
)

// runKeys is `candor keys rotate`: a new data key, then every sealed value re-sealed with it.
func runKeys(ctx context.Context, inv *invocation) error {
	a, err := openSubcommand(ctx, inv, "rotate", "Adds a new data key to the key file and re-seals every sealed value with it.\n"+
		"With CANDOR_KEYS set, add the new 'seal' line to your secret store first; rotate then only re-seals.")
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
