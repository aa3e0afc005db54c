package cli

import (
	"context"
	"fmt"
	"strings"
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

// parseInterleaved parses like parse, but takes arguments that are not flags from
// anywhere among the flags (Go's flag package stops at the first), and returns them.
func (inv *invocation) parseInterleaved() ([]string, error) {
	var pos []string
	for {
		if err := inv.parse(); err != nil {
			return nil, err
		}
		rest := inv.fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos, inv.args = append(pos, rest[0]), rest[1:]
	}
}
