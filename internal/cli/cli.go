package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/candor-dev/candor/internal/config"
)

// Env is the outside world of one run: environment, standard streams.
type Env struct {
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// errUsage marks a command-line mistake; the process exits 2 for it.
var errUsage = errors.New("usage")

// errHelpShown stops a command after its --help was printed; Run returns nil for it.
var errHelpShown = errors.New("help shown")

// ExitCode maps an error returned by Run to the process exit status.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	}
	return 1
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, inv *invocation) error
}

func commands() []command {
	return []command{
		{"serve", "[--demo]", "run the web server (migrates the database first)", runServe},
		{"migrate", "[status]", "apply pending database migrations, or list them", runMigrate},
		{"staff", "add|list|disable|enable|set-role|reset-password|reset-2fa", "manage staff accounts", runStaff},
		{"lists", "add|list", "manage the newsletter's mailing lists", runLists},
		{"contact", "read-answers", "read people's answers to inbox replies from the mailbox now", runContact},
		{"sites", "add|list", "manage the websites whose visits are counted", runSites},
		{"ingest-log", "--site NAME FILE…", "count page views from web-server access logs (- for standard input)", runIngestLog},
		{"stats", "--site NAME | token", "print visitor statistics for a range (small counts suppressed); manage API tokens", runStats},
		{"keys", "rotate", "add a new data key and re-seal personal data with it", runKeys},
		{"products", "add|list", "add products to the shop's catalogue, or list it", runProducts},
		{"licence", "verify|public-key", "check a licence key, or print the key that checks them", runLicence},
		{"data", "find|export|erase", "answer a person's data request: find, export or erase what is held under an email", runData},
		{"audit", "verify|privacy", "check the audit log's chain, or every promise of the privacy policy", runAudit},
		{"backup", "--to FILE", "write a consistent copy of the database, encrypted to the vendor's age key", runBackup},
		{"restore", "--from FILE", "restore a backup into an empty data directory and database and verify it", runRestore},
		{"config", "", "print the effective configuration, secrets redacted", runConfig},
		{"version", "", "print the version", runVersion},
	}
}

// Run runs the candor command line: args excludes the program name.
func Run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			inv := &invocation{cmd: c, env: env}
			err := c.run(ctx, inv.withArgs(args[1:]))
			if errors.Is(err, errHelpShown) {
				return nil
			}
			return err
		}
	}
	usage(env.Stderr)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Candor: the privacy-keeping back office of a software vendor's website.")
	fmt.Fprintln(w, "\nUsage: candor COMMAND [options]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %-14s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'candor COMMAND --help' for a command's options. Every option also reads an")
	fmt.Fprintln(w, "environment variable (--db is CANDOR_DB); secrets also read CANDOR_…_FILE.")
	fmt.Fprintln(w, "Quick start: candor serve --demo, then open http://127.0.0.1:8080/")
}

// invocation is one command's parsed state.
type invocation struct {
	cmd   command
	env   Env
	args  []string
	fs    *flag.FlagSet
	flags map[string]*[]string
	cfg   config.Config
}

func (inv *invocation) withArgs(args []string) *invocation {
	inv.args = args
	inv.fs = flag.NewFlagSet("candor "+inv.cmd.name, flag.ContinueOnError)
	inv.fs.SetOutput(io.Discard) // parse reports errors and help itself
	inv.flags = config.Register(inv.fs)
	return inv
}

// printUsage writes the command's help: usage line, summary and every option with its
// environment variable.
func (inv *invocation) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: candor %s %s [options]\n\n%s.\n", inv.cmd.name, inv.cmd.args, capitalize(inv.cmd.summary))
	for _, own := range []bool{true, false} {
		title := "\nSettings (shared by every command; docs/configuration.md):\n"
		if own {
			title = "\nOptions:\n"
		}
		printed := false
		inv.fs.VisitAll(func(f *flag.Flag) {
			if _, shared := inv.flags[f.Name]; shared == own {
				return
			}
			if !printed {
				fmt.Fprint(w, title)
				printed = true
			}
			fmt.Fprintf(w, "  --%s\n      %s\n", f.Name, f.Usage)
		})
	}
}

// parse parses the flags (command-specific ones must be defined first) and loads the
// configuration. Positional arguments remain in inv.fs.Args().
func (inv *invocation) parse() error {
	if err := inv.fs.Parse(inv.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			inv.printUsage(inv.env.Stdout)
			return errHelpShown
		}
		return fmt.Errorf("%w: %v (see 'candor %s --help')", errUsage, err, inv.cmd.name)
	}
	cfg, err := config.Load(inv.flags, inv.env.Getenv)
	if err != nil {
		return err
	}
	inv.cfg = cfg
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
