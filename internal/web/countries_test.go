package web

import "testing"

// Promise (issue 12, item 3): the checkout's country list shows each country once
// (no Germany as DD and DE, no United Kingdom as UK and GB), and only codes the shop
// takes.
func TestCountriesOnceEach(t *testing.T) {
	seen := map[string]string{}
	for _, c := range countries() {
		if prev, ok := seen[c.Name]; ok {
			t.Errorf("%s listed twice, as %s and %s", c.Name, prev, c.Code)
		}
		seen[c.Name] = c.Code
	}
	if len(seen) != 249 {
		t.Errorf("%d countries; ISO 3166-1 assigns 249", len(seen))
	}
}
