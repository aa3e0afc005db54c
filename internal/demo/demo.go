// Package demo is the demo vendor that `candor serve --demo` shows at "/": a small
// software company's website with the places where Candor's newsletter form, contact
// form, visitor tracker and buy buttons go.
//
// Invariant: demo content is fixed data; nothing here reaches a production
// configuration (serve refuses --demo on anything but loopback).
package demo

// VendorName is the demo vendor's name.
const VendorName = "Northwind Utilities"

// Product is a product of the demo vendor's catalogue.
type Product struct {
	Name, Tagline, Version, Platforms string
	PriceText                         string // display only; the shop issue brings real prices
}

// SiteData is what the demo page shows.
type SiteData struct {
	Vendor   string
	Products []Product
}

// Site returns the demo website's content.
func Site() SiteData {
	return SiteData{Vendor: VendorName, Products: []Product{
		{Name: "NetScan Pro", Tagline: "Find every device on your network in seconds.", Version: "4.2", Platforms: "Windows, macOS, Linux", PriceText: "€49"},
		{Name: "RAM Disk", Tagline: "Turn spare memory into the fastest drive you own.", Version: "3.1", Platforms: "Windows", PriceText: "€29"},
		{Name: "Bandwidth Meter", Tagline: "See what uses your connection, live.", Version: "2.0", Platforms: "Windows, Linux", PriceText: "€19"},
	}}
}
