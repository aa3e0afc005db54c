package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/pii"
)

// openSubcommand handles a command with one subcommand (`candor keys rotate`): its
// --help, a missing or unknown subcommand, the flags, and opening the app.
func openSubcommand(ctx context.Context, inv *invocation, sub, help string) (*app, error) {
	if len(inv.args) == 0 || inv.args[0] != sub {
		if len(inv.args) > 0 && isHelp(inv.args[0]) {
			fmt.Fprintf(inv.env.Stdout, "Usage: candor %s %s [options]\n\n%s\n", inv.cmd.name, sub, help)
			return nil, errHelpShown
		}
		return nil, fmt.Errorf("%w: candor %s %s", errUsage, inv.cmd.name, sub)
	}
	inv.args = inv.args[1:]
	if err := inv.parse(); err != nil {
		return nil, err
	}
	return openApp(ctx, inv, appNeeds{})
}

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "-help" }

// subcommand takes a command's subcommand off its arguments (`candor lists add …`). For
// --help, or none, it prints the usage and what the command is about, or fails with the
// usage.
func (inv *invocation) subcommand(usage, about string) (string, error) {
	if len(inv.args) == 0 || strings.HasPrefix(inv.args[0], "-") {
		if len(inv.args) > 0 && isHelp(inv.args[0]) {
			fmt.Fprintln(inv.env.Stdout, "Usage: "+usage)
			if about != "" {
				fmt.Fprintln(inv.env.Stdout, "\n"+about)
			}
			return "", errHelpShown
		}
		return "", fmt.Errorf("%w: %s", errUsage, usage)
	}
	sub := inv.args[0]
	inv.args = inv.args[1:]
	return sub, nil
}

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

func runAudit(ctx context.Context, inv *invocation) error {
	a, err := openSubcommand(ctx, inv, "verify", "Checks the audit log's hash chain; exits 1 and names the first entry that does not fit.")
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
