package cli

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

const statsTokenUsage = "candor stats token add --name NAME [--site SITE] | list | revoke ID"

// siteByName finds a site for a --site argument.
func siteByName(ctx context.Context, a *app, name string) (analytics.Site, error) {
	s, err := a.sites.ByName(ctx, name)
	if errs.Is(err, errs.NotFound) {
		return s, fmt.Errorf("--site: no site named %q (see candor sites list)", name)
	}
	return s, err
}

// runStatsToken manages the read-only API tokens of the statistics, as staff.CLI. The
// secret of a new token is printed once, on standard output, and kept nowhere.
func runStatsToken(ctx context.Context, inv *invocation) error {
	sub, err := inv.subcommand(statsTokenUsage, "Manage the read-only API tokens of the statistics (GET /api/stats). Run 'candor stats token add --help' for the options.")
	if err != nil {
		return err
	}
	var name, site *string
	switch sub {
	case "add":
		inv.cmd.args, inv.cmd.summary = "token add --name NAME [--site SITE]", "create a read-only API token for the statistics; it is printed once"
		name = inv.fs.String("name", "", "what the token is for, e.g. \"weekly report script\"")
		site = inv.fs.String("site", "", "the one site it may read (default: every site)")
	case "list":
		inv.cmd.args, inv.cmd.summary = "token list", "list the statistics API tokens"
	case "revoke":
		inv.cmd.args, inv.cmd.summary = "token revoke ID", "revoke a statistics API token at once"
	default:
		return fmt.Errorf("%w: unknown stats token command %q; %s", errUsage, sub, statsTokenUsage)
	}
	pos, err := inv.parseInterleaved()
	if err != nil {
		return err
	}
	var id int64
	if sub == "revoke" {
		if len(pos) != 1 {
			return fmt.Errorf("%w: candor stats token revoke needs the token's ID (see candor stats token list)", errUsage)
		}
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil {
			return fmt.Errorf("%w: ID must be a number", errUsage)
		}
		pos = nil
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q; %s", errUsage, pos[0], statsTokenUsage)
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	tokens := a.tokens
	switch sub {
	case "add":
		var siteID int64
		if *site != "" {
			s, err := siteByName(ctx, a, *site)
			if err != nil {
				return err
			}
			siteID = s.ID
		}
		t, secret, err := tokens.Create(ctx, staff.CLI, *name, siteID)
		if err != nil {
			return fieldError(err, map[string]string{"name": "--name"})
		}
		fmt.Fprintf(inv.env.Stdout, "created token %d (%s). Copy it now: it is not shown again.\n%s\n", t.ID, t.Name, secret)
		return nil
	case "revoke":
		t, err := tokens.Revoke(ctx, staff.CLI, id)
		if err != nil {
			return fieldError(err, nil)
		}
		fmt.Fprintf(inv.env.Stdout, "revoked token %d (%s)\n", t.ID, t.Name)
		return nil
	}
	return listStatsTokens(ctx, inv, a, tokens)
}

func listStatsTokens(ctx context.Context, inv *invocation, a *app, tokens *analytics.Tokens) error {
	list, err := tokens.List(ctx, staff.CLI)
	if err != nil {
		return err
	}
	sites, err := a.sites.List(ctx, staff.CLI)
	if err != nil {
		return err
	}
	names := map[int64]string{0: "(all)"}
	for _, s := range sites {
		names[s.ID] = s.Name
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format("2006-01-02 15:04")
	}
	tw := tabwriter.NewWriter(inv.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSITE\tCREATED BY\tCREATED\tLAST USED\tREVOKED")
	for _, t := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, printable(t.Name), names[t.SiteID], t.CreatedBy, when(t.CreatedAt), when(t.LastUsed), when(t.RevokedAt))
	}
	return tw.Flush()
}
