package web

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// country is one choice of the checkout's country list.
type country struct{ Code, Name string }

// countries lists the ISO 3166-1 countries that shop.NormalizeCountry accepts, by
// English name; built once from golang.org/x/text's region tables.
var countries = sync.OnceValue(func() []country {
	names := display.English.Regions()
	var out []country
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code {
				continue
			}
			if name := names.Name(r); name != "" {
				out = append(out, country{code, name})
			}
		}
	}
	slices.SortFunc(out, func(x, y country) int { return strings.Compare(x.Name, y.Name) })
	return out
})
