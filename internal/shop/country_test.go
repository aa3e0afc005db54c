package shop_test

import (
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
)

// Promise (issue 12, item 3): tax by country cannot be avoided with an alias code. Only
// officially assigned ISO 3166-1 alpha-2 codes are taken; an old or exceptionally
// reserved code that stands for an assigned one is read as that one (UK is GB, DD is
// DE, FX is FR), so it pays the same tax; any other is refused.
func TestCountryAliasesPayTheSameTax(t *testing.T) {
	for in, want := range map[string]string{"de": "DE", " gb ": "GB", "UK": "GB", "DD": "DE", "FX": "FR", "BU": "MM"} {
		if got, err := shop.NormalizeCountry(in); err != nil || got != want {
			t.Errorf("NormalizeCountry(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"XX", "EU", "UN", "SU", "YU", "CS", "AN", "AC", "TA", "IC", "EA", "DG", "CP", "XK", "ZZ", "D", "DEU", ""} {
		if got, err := shop.NormalizeCountry(bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("NormalizeCountry(%q) = %q, %v; want it refused", bad, got, err)
		}
	}
	if n := len(shop.Countries()); n != 249 {
		t.Errorf("%d countries; ISO 3166-1 assigns 249 codes", n)
	}
	e := setup(t)
	for _, alias := range []string{"DD", "de"} {
		o := e.checkout(t, alias, "")
		if o.Country != "DE" || o.TaxRate != 1900 || o.Tax == 0 {
			t.Errorf("a checkout from %q: country %q, tax rate %d, tax %d; want DE's 19 %%", alias, o.Country, o.TaxRate, o.Tax)
		}
	}
}

// Promise (issue 12, item 3), from the seller's side: a rate configured under an alias
// (--tax-rate UK=20) is charged to the buyers it names, whose orders store GB; a code
// that stands for no country is refused at start rather than never charged.
func TestTaxRateAliasesAreTheirCountrys(t *testing.T) {
	got, err := shop.CountryRates(map[string]int{"UK": 2000, "DE": 1900})
	if err != nil || len(got) != 2 || got["GB"] != 2000 || got["DE"] != 1900 {
		t.Fatalf("CountryRates(UK=20, DE=19) = %v, %v; want GB=20, DE=19", got, err)
	}
	if _, err := shop.CountryRates(map[string]int{"XX": 500}); err == nil || !strings.Contains(err.Error(), `"XX"`) {
		t.Errorf("CountryRates(XX=5) = %v; want an error naming XX", err)
	}
	if _, err := shop.CountryRates(map[string]int{"UK": 2000, "GB": 1900}); err == nil || !strings.Contains(err.Error(), "GB") {
		t.Errorf("CountryRates(UK=20, GB=19) = %v; want an error: both are GB", err)
	}
	e := setup(t)
	e.svc = shop.New(sqldb.ShopStore{DB: e.db}, e.proc, e.sealer, e.signer, audit.New(sqldb.AuditStore{DB: e.db}, e.sealer.Index), nil, shop.Options{
		Mode: shop.ModeTest, PublicURL: "https://shop.example", MailDomain: "example.com", TaxRates: map[string]int{"UK": 2000},
	})
	if o := e.checkout(t, "GB", ""); o.Country != "GB" || o.TaxRate != 2000 || o.Tax == 0 {
		t.Errorf("a checkout from GB under UK=20: country %q, tax rate %d, tax %d; want 20 %%", o.Country, o.TaxRate, o.Tax)
	}
}
