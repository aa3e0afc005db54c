package web

import (
	"time"

	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// Helpers of the shop admin tests.

// Fixture data of the shop admin tests: the buyer's name and address must appear only
// on the pages that show orders; the card number and CVC never anywhere.
const (
	shopAdminBuyer = "Ada Fixture"
	shopAdminEmail = "ada.buyer@example.com"
	shopAdminCard  = "4242424242424242"
	shopAdminCVC   = "987"
)

// shopAdminService is the test server's shop (test mode, the built-in sandbox), with
// the card registered as a canary of the logs.
func (e *env) shopAdminService() *shop.Service {
	e.canary(shopAdminCard, "4242 4242 4242 4242")
	return e.shop
}

// shopAdminProduct creates "Northwind Pro" with a perpetual "standard" edition sold
// for EUR 49.00 and USD 59.00, and returns it.
func (e *env) shopAdminProduct() shop.Product {
	e.t.Helper()
	svc := e.shopAdminService()
	p := shop.Product{Slug: "northwind-pro", Name: "Northwind Pro", Version: "4.2", Active: true}
	if err := svc.SaveProduct(e.ctx, staff.CLI, &p); err != nil {
		e.t.Fatal(err)
	}
	ed := shop.Edition{ProductID: p.ID, Slug: "standard", Name: "Standard", Seats: 1, Prices: map[string]int64{"EUR": 4900, "USD": 5900}}
	if err := svc.SaveEdition(e.ctx, staff.CLI, &ed); err != nil {
		e.t.Fatal(err)
	}
	p.Editions = append(p.Editions, ed)
	return p
}

// shopAdminPaidOrder places an order of quantity units of the standard edition in
// Germany and pays it with the sandbox's always-succeeding card.
func (e *env) shopAdminPaidOrder(quantity int) shop.Order {
	e.t.Helper()
	svc := e.shopAdminService()
	o, err := svc.StartCheckout(e.ctx, shop.CheckoutInput{Product: "northwind-pro", Edition: "standard", Currency: "EUR", Quantity: quantity,
		Name: shopAdminBuyer, Email: shopAdminEmail, Country: "DE"})
	if err != nil {
		e.t.Fatal(err)
	}
	card, err := payment.ParseCard(shopAdminCard, "12", "2034", shopAdminCVC, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	out, err := svc.PayCard(e.ctx, o.Ref, card)
	if err != nil || !out.Paid {
		e.t.Fatalf("PayCard: %+v, %v", out, err)
	}
	e.canary(shopAdminBuyer, shopAdminEmail)
	return out.Order
}
