package web

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/candor-dev/candor/internal/shop"
)

// country is one choice of the checkout's country list.
type country struct{ Code, Name string }

// countries lists the ISO 3166-1 countries that shop.NormalizeCountry accepts (each
// once: only officially assigned codes), by English name from golang.org/x/text's
// region tables; built once.
var countries = sync.OnceValue(func() []country {
	names := display.English.Regions()
	var out []country
	for _, code := range shop.Countries() {
		if name := names.Name(language.MustParseRegion(code)); name != "" {
			out = append(out, country{code, name})
		}
	}
	slices.SortFunc(out, func(x, y country) int { return strings.Compare(x.Name, y.Name) })
	return out
})
