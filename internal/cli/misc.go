package cli

import (
	"context"
	"fmt"
	"runtime/debug"
	"text/tabwriter"

	"github.com/candor-dev/candor/internal/sqldb"
)

// version is the release; the VCS revision is appended from the build info.
const version = "0.1.0"

// Version returns the release and, when built from a checkout, the commit.
func Version() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

func runVersion(ctx context.Context, inv *invocation) error {
	if err := inv.parse(); err != nil {
		return err
	}
	fmt.Fprintln(inv.env.Stdout, "candor", Version())
	return nil
}

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

func runMigrate(ctx context.Context, inv *invocation) error {
	status := len(inv.args) > 0 && inv.args[0] == "status"
	if status {
		inv.args = inv.args[1:]
	}
	if err := inv.parse(); err != nil {
		return err
	}
	if status {
		return migrationStatus(ctx, inv)
	}
	a, err := openApp(ctx, inv, appNeeds{migrate: true})
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintln(inv.env.Stdout, "the database is up to date")
	return nil
}

// migrationStatus lists every migration and when it was applied.
func migrationStatus(ctx context.Context, inv *invocation) error {
	db, err := sqldb.Open(ctx, inv.cfg.DB)
	if err != nil {
		return fmt.Errorf("setting --db (CANDOR_DB): %w", err)
	}
	defer db.Close()
	all, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(inv.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	for _, m := range all {
		at := "pending"
		if !m.AppliedAt.IsZero() {
			at = m.AppliedAt.Format("2006-01-02 15:04:05 UTC")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", m.Version, m.Name, at)
	}
	return tw.Flush()
}
