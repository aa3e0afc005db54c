package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/candor-dev/candor/internal/staff"
)

const staffUsage = "candor staff add --email E --role R | list | disable --email E | enable --email E | set-role --email E --role R | reset-password --email E | reset-2fa --email E"

func runStaff(ctx context.Context, inv *invocation) error {
	sub, err := inv.subcommand(staffUsage, "")
	if err != nil {
		return err
	}
	email := inv.fs.String("email", "", "the staff member's email")
	role := inv.fs.String("role", "", "role: owner, admin, support, marketing, analyst or shop")
	inv.cmd.args = sub
	if err := inv.parse(); err != nil {
		return err
	}
	need := func(flagName, v string) error {
		if v == "" {
			return fmt.Errorf("%w: candor staff %s needs --%s", errUsage, sub, flagName)
		}
		return nil
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	out := inv.env.Stdout
	switch sub {
	case "list":
		return listStaff(ctx, a, inv)
	case "add":
		if err := errors.Join(need("email", *email), need("role", *role)); err != nil {
			return err
		}
		r, err := staff.ParseRole(*role)
		if err != nil {
			return fmt.Errorf("%w: --role: %v", errUsage, err)
		}
		pw, err := readPassword(inv, "Password for "+*email)
		if err != nil {
			return err
		}
		m, err := a.staff.Add(ctx, staff.CLI, *email, r, pw, false)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "added staff member %d with role %s\n", m.ID, m.Role)
		return nil
	case "disable", "enable", "set-role", "reset-password", "reset-2fa":
		if err := need("email", *email); err != nil {
			return err
		}
		m, err := a.staff.FindByEmail(ctx, staff.CLI, *email)
		if err != nil {
			return err
		}
		return changeStaff(ctx, a, inv, sub, m, *role)
	}
	return fmt.Errorf("%w: unknown staff command %q; %s", errUsage, sub, staffUsage)
}

func changeStaff(ctx context.Context, a *app, inv *invocation, sub string, m staff.Member, role string) error {
	var err error
	switch sub {
	case "disable":
		_, err = a.staff.Disable(ctx, staff.CLI, m.ID)
	case "enable":
		_, err = a.staff.Enable(ctx, staff.CLI, m.ID)
	case "set-role":
		var r staff.Role
		if r, err = staff.ParseRole(role); err != nil {
			return fmt.Errorf("%w: --role: %v", errUsage, err)
		}
		_, err = a.staff.SetRole(ctx, staff.CLI, m.ID, r)
	case "reset-password":
		var pw string
		if pw, err = readPassword(inv, "New password"); err != nil {
			return err
		}
		_, err = a.staff.ResetPassword(ctx, staff.CLI, m.ID, pw)
	case "reset-2fa":
		_, err = a.staff.Reset2FA(ctx, staff.CLI, m.ID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.env.Stdout, "staff member %d: %s done\n", m.ID, sub)
	return nil
}

func listStaff(ctx context.Context, a *app, inv *invocation) error {
	members, err := a.staff.List(ctx, staff.CLI)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(inv.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tROLE\t2FA\tSTATUS")
	for _, m := range members {
		st := "active"
		switch {
		case m.Disabled:
			st = "disabled"
		case m.Locked:
			st = "locked"
		case m.MustChangePassword:
			st = "must change password"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%t\t%s\n", m.ID, m.Email.Reveal(), m.Role, m.HasTOTP, st)
	}
	return tw.Flush()
}

// readPassword prompts twice on a terminal (no echo); otherwise it reads one line from
// standard input, so scripts can pipe a password in.
func readPassword(inv *invocation, prompt string) (string, error) {
	if f, ok := inv.env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(inv.env.Stderr, prompt+": ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(inv.env.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(inv.env.Stderr, "Again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(inv.env.Stderr)
		if err != nil {
			return "", err
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(inv.env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
