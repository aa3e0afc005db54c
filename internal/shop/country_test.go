package shop_test

import (
	"testing"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
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
