package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/limiter"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/sandbox"
	"github.com/candor-dev/candor/internal/shop"
)

// checkout is the shop's public side: catalogue, buy and pay pages, the customer's
// orders and downloads, and the processor's webhooks. Each limiter guards one abuse.
type checkout struct {
	*pages
	shop      *shop.Service
	shopLimit *limiter.Limiter[string] // checkouts and order look-ups per client address
	cardLimit *limiter.Limiter[string] // card attempts per client address and per order (card testing)
	findLimit *limiter.Limiter[string] // "find my orders" mails per email address
	sandbox   *sandbox.Sandbox         // the test processor's 3-D Secure page (test mode only)
	webhooks  payment.WebhookParser    // nil: POST /webhooks/stripe answers 404
	later     *afterwork               // the order look-ups and their mails, after the answer

	newsletter *newsletter.Service // the checkout's newsletter opt-in, double opt-in (checkout_optin.go)
}

// checkoutFields are the fields of the checkout form kept after an error. No card
// field is ever among them: card fields live on the payment page and are never
// rendered back.
var checkoutFields = []string{"name", "email", "country", "quantity", "currency", "coupon", "newsletter"}

// buyData feeds templates/buy.html.
type buyData struct {
	Product   shop.Product
	Edition   shop.Edition
	Quote     *shop.Quote // nil until a country is chosen
	Countries []country
	TestMode  bool
	Inclusive bool

	ConsentText string // the newsletter consent sentence next to the opt-in box
}

// shopPage is GET /shop: the catalogue, with a buy link per edition.
func (s *checkout) shopPage(w http.ResponseWriter, r *http.Request) {
	ps, err := s.shop.Catalogue(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.cardPageHeaders(w)
	s.render(w, r, http.StatusOK, "shop", page{Title: "Shop", Data: map[string]any{"Products": ps, "TestMode": s.shop.TestMode(), "Inclusive": s.shop.PricesIncludeTax()}})
}

// buyPage is GET /buy/{product}/{edition}: the checkout form (the vendor's "Buy"
// buttons link here), with the quantity and currency from the query when given.
func (s *checkout) buyPage(w http.ResponseWriter, r *http.Request) {
	form := map[string]string{"quantity": "1", "currency": r.URL.Query().Get("currency")}
	if q := r.URL.Query().Get("quantity"); q != "" {
		form["quantity"] = q
	}
	s.renderBuy(w, r, http.StatusOK, page{Form: form})
}

// buyPost is POST /buy/{product}/{edition}: "Update total" re-prices the form;
// "Continue" creates the order and goes on to payment.
func (s *checkout) buyPost(w http.ResponseWriter, r *http.Request) {
	if !s.shopLimit.Allow(ClientIP(r.Context())) {
		s.fail(w, r, errs.E(errs.RateLimited, "Too many checkouts from your address; please wait a minute."))
		return
	}
	f, err := decodePublicForm(r)
	kept := map[string]string{}
	for _, k := range checkoutFields {
		kept[k] = f.get(k)
	}
	if err != nil {
		s.renderBuy(w, r, status(err), page{Error: errs.PublicOf(err), Form: kept})
		return
	}
	if f.get("action") != "continue" {
		s.renderBuy(w, r, http.StatusOK, page{Form: kept})
		return
	}
	o, err := s.shop.StartCheckout(r.Context(), checkoutInput(r, f.get))
	if err != nil {
		if status(err) >= 500 {
			s.fail(w, r, err)
			return
		}
		s.renderBuy(w, r, status(err), page{Error: errs.PublicOf(err), Field: fieldOf(err), Form: kept})
		return
	}
	s.setCheckoutCookie(w, o.Ref)
	s.optIn(r, f.get)
	http.Redirect(w, r, "/checkout/"+o.Ref+"/pay", http.StatusSeeOther)
}

// checkoutInput reads the checkout form's fields through get; a quantity that is not
// a number is 0 (refused by the shop with a message on that field).
func checkoutInput(r *http.Request, get func(string) string) shop.CheckoutInput {
	qty, _ := strconv.Atoi(strings.TrimSpace(get("quantity")))
	return shop.CheckoutInput{
		Product: r.PathValue("product"), Edition: r.PathValue("edition"), Currency: get("currency"),
		Quantity: qty, Coupon: get("coupon"), Name: get("name"), Email: get("email"), Country: get("country"),
	}
}

// renderBuy shows the checkout form with its live quote (when the form prices).
func (s *checkout) renderBuy(w http.ResponseWriter, r *http.Request, st int, p page) {
	in := checkoutInput(r, func(k string) string { return p.Form[k] })
	if p.Form["quantity"] == "" {
		in.Quantity = 1
	}
	data := buyData{Countries: countries(), TestMode: s.shop.TestMode(), Inclusive: s.shop.PricesIncludeTax(),
		ConsentText: newsletter.ConsentText}
	q, prod, ed, err := s.shop.Quote(r.Context(), in)
	switch {
	case errs.CodeOf(err) == errs.NotFound || prod.ID == 0 || ed.ID == 0:
		s.fail(w, r, errs.E(errs.NotFound, "This product is not for sale."))
		return
	case err == nil:
		data.Quote = &q
	case p.Error == "" && in.Country != "":
		p.Error, p.Field = errs.PublicOf(err), fieldOf(err)
	}
	data.Product, data.Edition = prod, ed
	if p.Form["currency"] == "" {
		p.Form["currency"] = ed.Currencies()[0]
	}
	p.Title, p.Data = "Buy "+prod.Name+" "+ed.Name, data
	s.cardPageHeaders(w)
	s.render(w, r, st, "buy", p)
}

// cardPageHeaders are the headers of every checkout page: never cached, and no
// analytics on them (the pages include no tracker; the CSP would refuse a third-party
// one anyway).
func (s *checkout) cardPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h["Cache-Control"] = hdrNoStore
	h["Content-Security-Policy"] = hdrCheckoutCSP
	if s.shop.Mode() == shop.ModeHosted {
		h["Content-Security-Policy"] = hdrHostedCSP
	}
}
