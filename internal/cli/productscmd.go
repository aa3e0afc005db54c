package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

const productsUsage = "candor products add --slug S --name N [--version V] [--platform P]… --edition SLUG:NAME:PRICE:CURRENCY[:SEATS[:TERMDAYS]]… | list"

// editionHelp explains --edition in the command's help.
const editionHelp = `an edition and one of its prices: SLUG:NAME:PRICE:CURRENCY[:SEATS[:TERMDAYS]], e.g.
      standard:Standard:49.00:EUR or team:Team:199:USD:5:365. PRICE is a decimal amount;
      SEATS per unit bought (default 1); TERMDAYS the licence term (default 0: perpetual).
      Repeat it for more editions, and with the same SLUG for the same edition's price
      in another currency (standard:Standard:59.00:USD). No colon inside a name.`

// runProducts adds products to the shop's catalogue and lists it, as staff.CLI (the
// admin's Shop pages do the same, and also edit products, prices and downloads).
func runProducts(ctx context.Context, inv *invocation) error {
	sub, err := inv.subcommand(productsUsage, "Manage the shop's catalogue. Run 'candor products add --help' for the options.")
	if err != nil {
		return err
	}
	var p shop.Product
	var editions editionFlags
	switch sub {
	case "add":
		inv.cmd.args = "add --slug S --name N [--version V] [--platform P]… --edition SLUG:NAME:PRICE:CURRENCY[:SEATS[:TERMDAYS]]…"
		inv.cmd.summary = "add a product to the shop with its editions and prices; edit it later in the admin's Shop pages"
		inv.fs.StringVar(&p.Slug, "slug", "", "the product's slug, in links and licence keys (a–z, 0–9, -)")
		inv.fs.StringVar(&p.Name, "name", "", "the product's name, as buyers read it (at most 120 characters)")
		inv.fs.StringVar(&p.Version, "version", "", "the current version (optional)")
		inv.fs.StringVar(&p.Description, "description", "", "a description (optional)")
		inv.fs.Func("platform", "a platform it runs on (repeat for several)", func(v string) error {
			p.Platforms = append(p.Platforms, strings.TrimSpace(v))
			return nil
		})
		inv.fs.Func("edition", editionHelp, editions.add)
		inactive := inv.fs.Bool("hidden", false, "add it hidden: not shown or sold until made active in the admin")
		if err := inv.parse(); err != nil {
			return err
		}
		p.Active = !*inactive
	case "list":
		inv.cmd.args = "list"
		inv.cmd.summary = "list the shop's products, editions and prices"
		if err := inv.parse(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: unknown products command %q; %s", errUsage, sub, productsUsage)
	}
	if rest := inv.fs.Args(); len(rest) > 0 {
		return fmt.Errorf("%w: unexpected %q; %s", errUsage, rest[0], productsUsage)
	}
	if sub == "add" && (p.Slug == "" || p.Name == "" || len(editions) == 0) {
		return fmt.Errorf("%w: candor products add needs --slug, --name and at least one --edition", errUsage)
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		return err
	}
	defer a.Close()
	svc := a.shop
	if sub == "list" {
		return printProducts(ctx, svc, inv)
	}
	return addProduct(ctx, svc, inv, p, editions)
}

func addProduct(ctx context.Context, svc *shop.Service, inv *invocation, p shop.Product, editions editionFlags) error {
	if err := svc.SaveProduct(ctx, staff.CLI, &p); err != nil {
		return productError(err)
	}
	out := inv.env.Stdout
	fmt.Fprintf(out, "added product %d: %s\n", p.ID, p.Slug)
	for _, e := range editions {
		e.ProductID = p.ID
		if err := svc.SaveEdition(ctx, staff.CLI, &e); err != nil {
			return fmt.Errorf("edition %s (the product was added; add the edition in the admin's Shop pages): %w", e.Slug, productError(err))
		}
		fmt.Fprintf(out, "  edition %s: %s\n", e.Slug, editionSummary(e))
	}
	if p.Active {
		fmt.Fprintf(out, "On sale: link your Buy buttons to /buy/%s/EDITION.\n", p.Slug)
	}
	return nil
}

func printProducts(ctx context.Context, svc *shop.Service, inv *invocation) error {
	ps, err := svc.Products(ctx, staff.CLI)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(inv.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSLUG\tNAME\tVERSION\tON SALE\tEDITION\tPRICES AND LICENCE")
	for _, p := range ps {
		sale := "yes"
		if !p.Active {
			sale = "hidden"
		}
		if len(p.Editions) == 0 {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t-\t-\n", p.ID, p.Slug, p.Name, p.Version, sale)
		}
		for i, e := range p.Editions {
			if i == 0 {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t", p.ID, p.Slug, p.Name, p.Version, sale)
			} else {
				fmt.Fprint(tw, "\t\t\t\t\t")
			}
			fmt.Fprintf(tw, "%s\t%s\n", e.Slug, editionSummary(e))
		}
	}
	return tw.Flush()
}

// editionSummary prints an edition's prices and licence: "EUR 49.00, USD 59.00; 1 seat, perpetual".
func editionSummary(e shop.Edition) string {
	var prices []string
	for _, c := range e.Currencies() {
		prices = append(prices, shop.FormatMoney(e.Prices[c], c))
	}
	seats := strconv.Itoa(e.Seats) + " seat"
	if e.Seats != 1 {
		seats += "s"
	}
	term := "perpetual"
	if e.TermDays > 0 {
		term = strconv.Itoa(e.TermDays) + "-day term"
	}
	return strings.Join(prices, ", ") + "; " + seats + ", " + term
}

// editionFlags collects --edition values, merging the prices of one edition slug.
type editionFlags []shop.Edition

// add parses one --edition value: SLUG:NAME:PRICE:CURRENCY[:SEATS[:TERMDAYS]].
func (f *editionFlags) add(v string) error {
	parts := strings.Split(v, ":")
	if len(parts) < 4 || len(parts) > 6 {
		return errors.New("want SLUG:NAME:PRICE:CURRENCY[:SEATS[:TERMDAYS]] (no colon inside a name)")
	}
	e := shop.Edition{Slug: strings.TrimSpace(parts[0]), Name: strings.TrimSpace(parts[1]), Seats: 1, Prices: map[string]int64{}}
	currency := strings.ToUpper(strings.TrimSpace(parts[3]))
	price, ok := shop.ParseMoney(parts[2], currency)
	if !ok {
		return fmt.Errorf("%q is not a price in %s: write it like 49.00 (or 4900 for a currency without cents)", parts[2], currency)
	}
	var err error
	if len(parts) > 4 {
		if e.Seats, err = strconv.Atoi(parts[4]); err != nil {
			return fmt.Errorf("seats %q: a whole number", parts[4])
		}
	}
	if len(parts) > 5 {
		if e.TermDays, err = strconv.Atoi(parts[5]); err != nil {
			return fmt.Errorf("term %q: a whole number of days (0: perpetual)", parts[5])
		}
	}
	for i := range *f {
		prev := &(*f)[i]
		if prev.Slug != e.Slug {
			continue
		}
		if prev.Name != e.Name || (len(parts) > 4 && (prev.Seats != e.Seats || prev.TermDays != e.TermDays)) {
			return fmt.Errorf("edition %s is given twice with a different name, seats or term", e.Slug)
		}
		if _, dup := prev.Prices[currency]; dup {
			return fmt.Errorf("edition %s has two prices in %s", e.Slug, currency)
		}
		prev.Prices[currency] = price
		return nil
	}
	e.Prices[currency] = price
	*f = append(*f, e)
	return nil
}

// productError turns a refusal by the domain into its public message, naming the
// option at fault; other errors pass unchanged.
func productError(err error) error {
	var ce *errs.Error
	if !errors.As(err, &ce) || ce.Code == errs.Internal || ce.Public == "" {
		return err
	}
	opt := map[string]string{"slug": "--slug", "name": "--name", "version": "--version", "description": "--description", "platforms": "--platform",
		"edition_slug": "--edition", "edition_name": "--edition", "seats": "--edition", "term_days": "--edition", "price": "--edition"}[ce.Field]
	if opt == "" {
		return errors.New(ce.Public)
	}
	return fmt.Errorf("%s: %s", opt, ce.Public)
}
