package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/promises"
	"github.com/candor-dev/candor/internal/sqldb"
)

// retentionGrace is how late the hourly retention job may be before a record counts
// as overdue: two of its runs.
const retentionGrace = 2 * time.Hour

// runAuditPrivacy is `candor audit privacy [--json]`: every privacy check once, a
// table (or JSON) of the results; exit 1 when any is red. It reads only: the results
// the Promises page shows are those of the daily run in `candor serve`.
func runAuditPrivacy(ctx context.Context, inv *invocation) error {
	inv.args = inv.args[1:]
	asJSON := inv.fs.Bool("json", false, "print the report as JSON (the Promises page's shape) instead of a table")
	for _, a := range inv.args {
		if isHelp(a) {
			fmt.Fprint(inv.env.Stdout, "Usage: candor audit privacy [--json] [options]\n\n"+
				"Checks the configuration (the same settings as candor serve) and the stored data against the\n"+
				"privacy policy's promises, prints one line per check and exits 1 when any check finds something\n"+
				"or cannot run. It only reads; docs/privacy-audit.md explains each check.\n\nChecks:\n")
			for _, c := range promises.Checks() {
				fmt.Fprintf(inv.env.Stdout, "  %s\n      %s: %s.\n", c.ID, c.Title, c.Help)
			}
			fmt.Fprintln(inv.env.Stdout, "\nOptions:\n  --json\n      "+inv.fs.Lookup("json").Usage)
			fmt.Fprintln(inv.env.Stdout, "\nEvery shared setting of 'candor serve --help' applies too (--data-dir, --db, --addr, …).")
			return errHelpShown
		}
	}
	if err := inv.parse(); err != nil {
		return err
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	rep := promises.Run(ctx, a.privacyInputs())
	if *asJSON {
		enc := json.NewEncoder(inv.env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printPromises(inv.env.Stdout, rep)
	}
	if red := rep.Red(); len(red) > 0 {
		return fmt.Errorf("%d of %d privacy checks are red", len(red), len(rep.Results))
	}
	return nil
}

// printPromises writes the table: check, status, message, and under a red check its
// listing.
func printPromises(w io.Writer, rep promises.Report) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tSTATUS\tMESSAGE")
	for _, r := range rep.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Status, printable(r.Message))
		for _, d := range r.Details {
			fmt.Fprintf(tw, "\t\t  %s\n", printable(d))
		}
	}
	_ = tw.Flush()
	ok, findings, errors := rep.Counts()
	fmt.Fprintf(w, "\n%d ok, %d findings, %d errors (%s)\n", ok, findings, errors, rep.RanAt.Format(time.RFC3339))
}

// privacyInputs gathers what the checks read from the configuration and the data.
func (a *app) privacyInputs() promises.Inputs {
	cfg := a.cfg
	in := promises.Inputs{
		Setup: promises.Setup{PublicAddr: !config.IsLoopback(cfg.Addr), TLS: cfg.TLS(), HTTPSURL: cfg.PublicURL.Scheme == "https"},
		Periods: map[string]time.Duration{
			privacy.RulePending: cfg.PendingTTL, privacy.RuleOutbox: cfg.OutboxRetention,
			privacy.RuleContactSpam: cfg.RetentionSpam, privacy.RuleContactReview: cfg.RetentionReview,
			privacy.RuleContactClosed: cfg.RetentionClosed, privacy.RuleContactIdle: cfg.RetentionInactive,
			privacy.RuleCheckout: cfg.CheckoutRetention, privacy.RuleOrder: cfg.OrderRetention,
			privacy.RuleStaffAccount: cfg.StaffRetention, privacy.RuleStaffSession: cfg.SessionIdle,
			privacy.RuleStats: cfg.StatsRetention, privacy.RuleDataRequest: privacy.DataRequestRetention,
		},
		Grace:      retentionGrace,
		Files:      a.dataFiles(),
		Skip:       a.liveDBFiles(),
		ReadTables: true,
		Egress:     EgressDestinations(cfg),
		MailLimit:  mail.DeadAfter,
		Data:       sqldb.PromiseStore{DB: a.db},
		Chain:      a.audit,
	}
	in.Setup.KeysInDataDir, in.Setup.KeysWhere = keysPlace(cfg, a.getenv)
	return in
}

// keysPlace says whether the data keys lie in the data directory, and where they are.
func keysPlace(cfg config.Config, getenv func(string) string) (bool, string) {
	if cfg.Keys == "" {
		return true, "generated into DATA-DIR/keys"
	}
	if file := getenv(config.EnvName("keys") + "_FILE"); file != "" && inside(file, cfg.DataDir) {
		return true, config.EnvName("keys") + "_FILE names a file in the data directory"
	}
	if fileExists(cfg.KeyFile()) {
		return true, "a key file is left in DATA-DIR/keys"
	}
	return false, "from " + config.EnvName("keys")
}

// dataFiles are the roots the card-number scan reads: the data directory.
func (a *app) dataFiles() []string {
	dir, _ := filepath.Abs(a.cfg.DataDir)
	return []string{dir}
}

// liveDBFiles are the open SQLite database's files, which the scan must never open
// (promises.Inputs.Skip); none on PostgreSQL.
func (a *app) liveDBFiles() []string {
	d, path, err := sqldb.ParseDSN(a.cfg.DB)
	if err != nil || d != sqldb.SQLite {
		return nil
	}
	var out []string
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		abs, _ := filepath.Abs(path + suffix)
		out = append(out, abs)
	}
	return out
}

// EgressDestinations is what the egress check lists: the outbound destinations the
// configuration allows, from the list internal/egress enforces (each allowed: the
// dialer refuses everything else, and config refuses a plain-http processor off
// loopback), and the proxy when --egress-proxy names one.
func EgressDestinations(cfg config.Config) []promises.Destination {
	var out []promises.Destination
	for _, d := range egress.Destinations(cfg) {
		out = append(out, promises.Destination{What: d.Purpose, Host: d.Addr(), Allowed: true})
	}
	if cfg.EgressProxy != nil {
		out = append(out, promises.Destination{What: "proxy (--egress-proxy)", Host: cfg.EgressProxy.Host, Allowed: true})
	}
	return out
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
