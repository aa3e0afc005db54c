package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

const listsUsage = "candor lists add SLUG --name N [--description D] | list"

// runLists manages the newsletter's mailing lists as staff.CLI (the web page
// /admin/lists does the same, and also renames and deletes).
func runLists(ctx context.Context, inv *invocation) error {
	sub, err := inv.subcommand(listsUsage, "Manage the newsletter's mailing lists. Run 'candor lists add --help' for the options.")
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		inv.cmd.args = "add SLUG --name N [--description D]"
		inv.cmd.summary = "add a mailing list; SLUG (a–z, 0–9, -) is what the website's form posts and never changes"
	case "list":
		inv.cmd.args = "list"
		inv.cmd.summary = "list the mailing lists with their confirmed subscribers"
	default:
		return fmt.Errorf("%w: unknown lists command %q; %s", errUsage, sub, listsUsage)
	}
	var name, description *string
	if sub == "add" {
		name = inv.fs.String("name", "", "the list's name, as subscribers read it (at most 80 characters)")
		description = inv.fs.String("description", "", "a one-line description (optional, at most 200 characters)")
	}
	pos, err := inv.parseInterleaved()
	if err != nil {
		return err
	}
	var slug string
	if sub == "add" && len(pos) > 0 {
		slug, pos = pos[0], pos[1:]
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q; %s", errUsage, pos[0], listsUsage)
	}
	if sub == "add" && (slug == "" || *name == "") {
		return fmt.Errorf("%w: candor lists add needs a SLUG and --name", errUsage)
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	if sub == "list" {
		return printLists(ctx, a, inv)
	}
	l, err := a.newsletter.CreateList(ctx, staff.CLI, slug, *name, *description)
	if err != nil {
		return listError(err)
	}
	out := inv.env.Stdout
	fmt.Fprintf(out, "added list %d: %s\n", l.ID, l.Slug)
	fmt.Fprintf(out, "To offer it, paste into your subscribe form:\n  %s\n", l.CheckboxHTML())
	return nil
}

func printLists(ctx context.Context, a *app, inv *invocation) error {
	lists, err := a.newsletter.ListSummaries(ctx, staff.CLI)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(inv.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSLUG\tNAME\tCONFIRMED\tDESCRIPTION")
	for _, l := range lists {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", l.ID, l.Slug, l.Name, l.Confirmed, l.Description)
	}
	return tw.Flush()
}

// listError turns a refusal by the domain into its public message, naming the argument
// at fault; other errors pass unchanged.
func listError(err error) error {
	var ce *errs.Error
	if !errors.As(err, &ce) || ce.Code == errs.Internal || ce.Public == "" {
		return err
	}
	arg := map[string]string{"slug": "SLUG", "name": "--name", "description": "--description"}[ce.Field]
	if arg == "" {
		return errors.New(ce.Public)
	}
	return fmt.Errorf("%s: %s", arg, ce.Public)
}
