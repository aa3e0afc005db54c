package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/staff"
)

const dataUsage = "candor data find|export|erase --email E [--json] [--out FILE] [--yes]"

// runData answers one person's data request from the command line, as staff.CLI: find
// what is held under an address, export it as a ZIP, or erase it. Each run is recorded
// as a data request and audited (docs/privacy-requests.md).
func runData(ctx context.Context, inv *invocation) error {
	sub, err := inv.subcommand(dataUsage, "Answer a person's data request: find, export or erase everything held under their email address.")
	if err != nil {
		return err
	}
	var email, out string
	var asJSON, yes bool
	inv.fs.StringVar(&email, "email", "", "the person's email address (required)")
	switch sub {
	case "find":
		inv.cmd.args, inv.cmd.summary = "find --email E [--json]", "list everything held under an email address: subscription, conversations, orders, outbox"
		inv.fs.BoolVar(&asJSON, "json", false, "print the full view as JSON ("+privacy.Schema+") instead of a summary")
	case "export":
		inv.cmd.args, inv.cmd.summary = "export --email E --out FILE", "write everything held under an email address to a ZIP (data.json and data.html)"
		inv.fs.StringVar(&out, "out", "", "the ZIP file to write (required; never overwritten; mode 0600)")
	case "erase":
		inv.cmd.args, inv.cmd.summary = "erase --email E [--yes]", "erase everything held under an email address; paid orders are kept for the legal retention only"
		inv.fs.BoolVar(&yes, "yes", false, "do not ask for confirmation")
	default:
		return fmt.Errorf("%w: unknown data command %q; %s", errUsage, sub, dataUsage)
	}
	if err := inv.parse(); err != nil {
		return err
	}
	if rest := inv.fs.Args(); len(rest) > 0 {
		return fmt.Errorf("%w: unexpected %q; %s", errUsage, rest[0], dataUsage)
	}
	if strings.TrimSpace(email) == "" || (sub == "export" && out == "") {
		return fmt.Errorf("%w: candor data %s needs --email%s", errUsage, sub, map[bool]string{true: " and --out", false: ""}[sub == "export"])
	}
	if sub == "erase" && !yes && !confirmed(inv.env, email) {
		return errors.New("nothing erased")
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	svc := a.subjects()
	w := inv.env.Stdout
	switch sub {
	case "find":
		s, err := svc.Find(ctx, staff.CLI, email)
		if err != nil {
			return err
		}
		if asJSON {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(s)
		}
		printSubject(w, s)
	case "export":
		return exportData(ctx, svc, email, out, w)
	case "erase":
		res, err := svc.EraseSubject(ctx, staff.CLI, email)
		if err != nil {
			return err
		}
		c := res.Counts
		fmt.Fprintf(w, "request %d: erased subscriber %d, conversations %d, outbox mails %d; orders %d (buyer erased at once: %d; paid, kept only for the legal retention: %d)\n",
			res.RequestID, c.Subscriber, c.Conversations, c.Outbox, c.Orders, res.Erased, c.Held)
	}
	return nil
}

// confirmed asks on standard input before an erasure.
func confirmed(env Env, email string) bool {
	fmt.Fprintf(env.Stdout, "Erase everything held under %s? This cannot be undone. Type yes: ", strings.TrimSpace(email))
	line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	return strings.TrimSpace(strings.ToLower(line)) == "yes"
}

func exportData(ctx context.Context, svc *privacy.Service, email, path string, w io.Writer) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	s, err := svc.ExportZIP(ctx, staff.CLI, email, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	fmt.Fprintf(w, "wrote %s: %s\n", path, summary(s))
	return nil
}

func summary(s privacy.Subject) string {
	sub := "no subscription"
	if s.Subscription != nil {
		sub = "subscription " + s.Subscription.Status
	}
	return fmt.Sprintf("%s, %d conversations, %d orders, %d outbox mails", sub, len(s.Conversations), len(s.Orders), len(s.Outbox))
}

// printSubject prints what is held, one line per record.
func printSubject(w io.Writer, s privacy.Subject) {
	fmt.Fprintln(w, summary(s))
	if sub := s.Subscription; sub != nil {
		fmt.Fprintf(w, "subscription: %s since %s, consent %q, %d lists\n", sub.Status, sub.CreatedAt.Format("2006-01-02"), sub.ConsentSource, len(sub.Lists))
	}
	for _, c := range s.Conversations {
		fmt.Fprintf(w, "conversation %d: %q, %d messages, %s\n", c.ID, c.Subject, len(c.Messages), c.CreatedAt.Format("2006-01-02"))
	}
	for _, o := range s.Orders {
		hold := ""
		if o.LegalHold {
			hold = " — erasure requested, kept only for legal retention"
		}
		fmt.Fprintf(w, "order %s: %s, %d %s, %s%s\n", o.Ref, o.Status, o.Total, o.Currency, o.CreatedAt.Format("2006-01-02"), hold)
	}
	for _, m := range s.Outbox {
		fmt.Fprintf(w, "outbox: %s %s, %s\n", m.Purpose, m.Status, m.CreatedAt.Format("2006-01-02"))
	}
}
