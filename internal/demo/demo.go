// Package demo is the demo vendor that `candor serve --demo` shows at "/": a small
// software company's website with the places where Candor's newsletter form, contact
// form, visitor tracker and buy buttons go, and the catalogue its shop sells.
//
// Invariant: demo content is fixed data; nothing here reaches a production
// configuration (serve refuses --demo on anything but loopback).
package demo

// VendorName is the demo vendor's name.
const VendorName = "Northwind Utilities"

// Product is a product of the demo vendor's catalogue.
type Product struct {
	Slug, Name, Tagline, Version, Platforms string
	Editions                                []Edition
	Download                                string // the demo file offered to buyers, in DATA-DIR/downloads
}

// Edition is one way to buy a demo product.
type Edition struct {
	Slug, Name string
	Seats      int
	TermDays   int              // 0: perpetual
	Prices     map[string]int64 // currency → minor units
}

// SiteData is what the demo page shows.
type SiteData struct {
	Vendor   string
	Products []Product
}

// Site returns the demo website's content.
func Site() SiteData {
	return SiteData{Vendor: VendorName, Products: []Product{
		{Slug: "netscan-pro", Name: "NetScan Pro", Tagline: "Find every device on your network in seconds.", Version: "4.2", Platforms: "Windows, macOS, Linux",
			Download: "netscan-pro-4.2.zip", Editions: []Edition{
				{Slug: "personal", Name: "Personal", Seats: 1, Prices: map[string]int64{"EUR": 4900, "USD": 5400}},
				{Slug: "team", Name: "Team", Seats: 5, TermDays: 365, Prices: map[string]int64{"EUR": 19900, "USD": 21900}},
			}},
		{Slug: "ram-disk", Name: "RAM Disk", Tagline: "Turn spare memory into the fastest drive you own.", Version: "3.1", Platforms: "Windows",
			Download: "ram-disk-3.1.zip", Editions: []Edition{{Slug: "personal", Name: "Personal", Seats: 1, Prices: map[string]int64{"EUR": 2900, "USD": 3200}}}},
		{Slug: "bandwidth-meter", Name: "Bandwidth Meter", Tagline: "See what uses your connection, live.", Version: "2.0", Platforms: "Windows, Linux",
			Download: "bandwidth-meter-2.0.zip", Editions: []Edition{{Slug: "personal", Name: "Personal", Seats: 1, Prices: map[string]int64{"EUR": 1900, "USD": 2100}}}},
	}}
}
