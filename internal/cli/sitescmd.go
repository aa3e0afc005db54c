package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/candor-dev/candor/internal/staff"
)

const sitesUsage = "candor sites add NAME --domain example.com | list"

// runSites manages the sites whose visits are counted, as staff.CLI.
func runSites(ctx context.Context, inv *invocation) error {
	sub, err := inv.subcommand(sitesUsage, "Manage the websites whose visits are counted. Run 'candor sites add --help' for the options.")
	if err != nil {
		return err
	}
	var domain *string
	switch sub {
	case "add":
		inv.cmd.args = "add NAME --domain example.com"
		inv.cmd.summary = "add a website; NAME (a–z, 0–9, '.', '-') is how commands name it, the domain is where its pages are served"
		domain = inv.fs.String("domain", "", "the host the site's pages are served from, e.g. example.com")
	case "list":
		inv.cmd.args = "list"
		inv.cmd.summary = "list the websites whose visits are counted"
	default:
		return fmt.Errorf("%w: unknown sites command %q; %s", errUsage, sub, sitesUsage)
	}
	pos, err := inv.parseInterleaved()
	if err != nil {
		return err
	}
	var name string
	if sub == "add" && len(pos) > 0 {
		name, pos = pos[0], pos[1:]
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q; %s", errUsage, pos[0], sitesUsage)
	}
	if sub == "add" && (name == "" || *domain == "") {
		return fmt.Errorf("%w: candor sites add needs a NAME and --domain", errUsage)
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	sites := a.sites
	if sub == "list" {
		list, err := sites.List(ctx, staff.CLI)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(inv.env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tDOMAIN")
		for _, s := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", s.ID, s.Name, s.Domain)
		}
		return tw.Flush()
	}
	s, err := sites.Add(ctx, staff.CLI, name, *domain)
	if err != nil {
		return fieldError(err, map[string]string{"name": "NAME", "domain": "--domain"})
	}
	fmt.Fprintf(inv.env.Stdout, "added site %d: %s (%s)\n", s.ID, s.Name, s.Domain)
	return nil
}
