package cli

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/candor-dev/candor/internal/licencekey"
	"github.com/candor-dev/candor/licence"
)

// maxLicenceInput bounds a licence key read from standard input.
const maxLicenceInput = 4 << 10

// runLicence runs `candor licence verify|public-key`. Neither subcommand opens the
// database: both need only the signing key (configuration or DATA-DIR/licence.key).
func runLicence(ctx context.Context, inv *invocation) error {
	sub := ""
	if len(inv.args) > 0 {
		sub = inv.args[0]
	}
	switch sub {
	case "verify":
		return licenceVerify(inv.asSubcommand(sub, "[--public-key KEY] LICENCE-KEY",
			"check a licence key offline: exit 0 and print its fields when it is genuine and current; "+
				"exit 1 with the reason when it is malformed, forged or expired. Options go before LICENCE-KEY; "+
				"- reads it from standard input"))
	case "public-key":
		return licencePublicKey(inv.asSubcommand(sub, "",
			"print the public key that the vendor's software embeds to verify licence keys (generated with the signing key on first use)"))
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(inv.env.Stdout, "Usage: candor licence verify|public-key [options]\n\n"+
			"  verify [--public-key KEY] LICENCE-KEY   check a licence key\n"+
			"  public-key                              print the key that checks licence keys\n\n"+
			"Run 'candor licence SUBCOMMAND --help' for its options; docs/licences.md has the details.\n")
		return errHelpShown
	}
	return fmt.Errorf("%w: candor licence verify|public-key (see 'candor licence --help')", errUsage)
}

// asSubcommand makes the usage line, summary and flag set those of `candor NAME SUB`.
func (inv *invocation) asSubcommand(sub, args, summary string) *invocation {
	inv.cmd.name += " " + sub
	inv.cmd.args, inv.cmd.summary = args, summary
	return inv.withArgs(inv.args[1:])
}

func licenceVerify(inv *invocation) error {
	pubText := inv.fs.String("public-key", "", "check against this public key (CANDORPK1-…) instead of this installation's")
	if err := inv.parse(); err != nil {
		return err
	}
	if inv.fs.NArg() == 0 {
		return fmt.Errorf("%w: candor licence verify needs the licence key (see 'candor licence verify --help')", errUsage)
	}
	key := strings.Join(inv.fs.Args(), " ") // a key pasted with spaces arrives in pieces
	if key == "-" {
		b, err := io.ReadAll(io.LimitReader(inv.env.Stdin, maxLicenceInput))
		if err != nil {
			return fmt.Errorf("reading the licence key from standard input: %w", err)
		}
		key = string(b)
	}
	var pub ed25519.PublicKey
	if *pubText != "" {
		var err error
		if pub, err = licence.ParsePublicKey(*pubText); err != nil {
			return fmt.Errorf("%w: --public-key: %v", errUsage, err)
		}
	} else {
		priv, err := licencekey.Load(inv.cfg.LicenceKey, inv.cfg.LicenceKeyFile())
		if err != nil {
			return err
		}
		pub = priv.Public().(ed25519.PublicKey)
	}
	l, err := licence.Verify(pub, key, time.Now())
	if err != nil && l == (licence.Licence{}) {
		return fmt.Errorf("licence key rejected: %w", err)
	}
	if err == nil {
		fmt.Fprintln(inv.env.Stdout, "valid licence key")
	} else {
		fmt.Fprintln(inv.env.Stdout, "genuine but EXPIRED licence key")
	}
	printLicence(inv.env.Stdout, l)
	if err != nil {
		return fmt.Errorf("licence key rejected: %w", err)
	}
	return nil
}

// printLicence writes a Licence's fields, one per line.
func printLicence(w io.Writer, l licence.Licence) {
	const day = "2006-01-02 15:04:05 UTC"
	seats, expires, edition := fmt.Sprint(l.Seats), "never (perpetual)", l.Edition
	if edition == "" {
		edition = "(none)"
	}
	if l.Seats == 0 {
		seats = "not limited"
	}
	if !l.Perpetual() {
		expires = l.Expires.Format(day)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range [][2]string{{"id", l.ID}, {"product", l.Product}, {"edition", edition},
		{"seats", seats}, {"issued", l.Issued.Format(day)}, {"expires", expires}} {
		fmt.Fprintf(tw, "%s:\t%s\n", f[0], f[1])
	}
	tw.Flush()
}

func licencePublicKey(inv *invocation) error {
	if err := inv.parse(); err != nil {
		return err
	}
	if inv.fs.NArg() != 0 {
		return fmt.Errorf("%w: candor licence public-key takes no arguments", errUsage)
	}
	priv, err := licencekey.Load(inv.cfg.LicenceKey, inv.cfg.LicenceKeyFile())
	if err != nil {
		return err
	}
	fmt.Fprintln(inv.env.Stdout, licence.FormatPublicKey(priv.Public().(ed25519.PublicKey)))
	return nil
}
