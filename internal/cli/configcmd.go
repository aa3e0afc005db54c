package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
)

// runConfig is `candor config`: the effective configuration, secrets redacted.
func runConfig(ctx context.Context, inv *invocation) error {
	if err := inv.parse(); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(inv.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tENVIRONMENT\tVALUE")
	for _, e := range inv.cfg.Listing() {
		fmt.Fprintf(tw, "--%s\t%s\t%s\n", e.Name, e.Env, e.Value)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return printDestinations(inv.env.Stdout, inv.cfg)
}
