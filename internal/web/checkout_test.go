package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/sandbox"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// The card and CVC every shop test types: they must appear nowhere afterwards.
const (
	testCard = "4242424242424242"
	testCVC  = "987"
)

// shopFixture adds the product "tool" (edition "std", EUR 49.00, one download file),
// a pending order and a paid one, and points the route table's shop patterns at them.
func shopFixture(t *testing.T, e *env) (pending, paid shop.Order) {
	t.Helper()
	clerk := staff.Principal{Role: staff.ShopRole, Name: "staff:0"}
	p := &shop.Product{Slug: "tool", Name: "Tool", Version: "1.0", Active: true}
	must(t, e.shop.SaveProduct(e.ctx, clerk, p))
	must(t, e.shop.SaveEdition(e.ctx, clerk, &shop.Edition{ProductID: p.ID, Slug: "std", Name: "Standard", Seats: 1, Prices: map[string]int64{"EUR": 4900}}))
	d := &shop.Download{ProductID: p.ID, Name: "Installer", File: "tool-1.0.zip"}
	must(t, e.shop.AddDownload(e.ctx, clerk, d))
	dir := filepath.Join(e.cfg.DataDir, "downloads")
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "tool-1.0.zip"), []byte("the tool"), 0o644))
	in := shop.CheckoutInput{Product: "tool", Edition: "std", Currency: "EUR", Quantity: 1, Name: "Pat Buyer", Email: "pat@buyer.example", Country: "FR"}
	pending, err := e.shop.StartCheckout(e.ctx, in)
	must(t, err)
	paid, err = e.shop.StartCheckout(e.ctx, in)
	must(t, err)
	c, err := payment.ParseCard(testCard, "12", "2034", testCVC, time.Now())
	must(t, err)
	out, err := e.shop.PayCard(e.ctx, paid.Ref, c)
	if err != nil || !out.Paid {
		t.Fatalf("paying the fixture order: %+v, %v", out, err)
	}
	orderURL, _ := url.Parse(e.shop.OrderURL(paid.Ref))
	dl, _ := url.Parse(e.shop.DownloadURL(paid.Ref, d.ID))
	e.shopPaths = map[string]string{
		"GET /buy/{product}/{edition}":      "/buy/tool/std",
		"POST /buy/{product}/{edition}":     "/buy/tool/std",
		"GET /checkout/{ref}/pay":           "/checkout/" + pending.Ref + "/pay",
		"POST /checkout/{ref}/pay":          "/checkout/" + pending.Ref + "/pay",
		"POST /checkout/{ref}/hosted":       "/checkout/" + pending.Ref + "/hosted",
		"GET /checkout/{ref}/return":        "/checkout/" + pending.Ref + "/return",
		"POST /checkout/{ref}/authenticate": "/checkout/" + pending.Ref + "/authenticate",
		"POST /checkout/{ref}/links":        "/checkout/" + pending.Ref + "/links",
		"GET /orders/{ref}":                 orderURL.RequestURI(),
		"GET /orders/{ref}/downloads/{id}":  dl.RequestURI(),
	}
	return pending, out.Order
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A buyer's whole path without JavaScript: the form prices, the order is created, the
// card is paid, and the order page shows the licence key and a working download link.
// Promise: the card number is never echoed, logged or put in a URL.
func TestCheckoutFlow(t *testing.T) {
	e := newEnv(t, "--tax-rate", "FR=20")
	shopFixture(t, e)
	e.canary(testCard, "4242 4242 4242 4242")
	c := e.client()
	form := url.Values{"name": {"Lee Buyer"}, "email": {"lee@buyer.example"}, "country": {"FR"}, "quantity": {"2"}, "currency": {"EUR"}}
	r := c.post("/buy/tool/std", withAction(form, "update"))
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "EUR 117.60") || !strings.Contains(r.body, "EUR 19.60") {
		t.Fatalf("the quote for 2 × 49.00 + 20%% tax is missing:\n%s", r.body)
	}
	if r.Header.Get("Cache-Control") != "no-store" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("checkout headers: %v", r.Header)
	}
	r = c.post("/buy/tool/std", withAction(form, "continue"))
	want(t, r, http.StatusSeeOther)
	payPath := r.Header.Get("Location")
	if !strings.HasPrefix(payPath, "/checkout/ord_") {
		t.Fatalf("continue → %q", payPath)
	}
	// A declined card: the page says why and does not echo the number.
	r = c.post(payPath, url.Values{"card_number": {"4000 0000 0000 0002"}, "card_exp": {"12/34"}, "card_cvc": {testCVC}})
	want(t, r, http.StatusPaymentRequired)
	if !strings.Contains(r.body, "declined") || strings.Contains(r.body, "4000000000000002") || strings.Contains(r.body, `value="4000`) || strings.Contains(r.body, testCVC) {
		t.Fatalf("decline page:\n%s", r.body)
	}
	// Card fields in the URL are refused outright.
	want(t, c.get(payPath+"?card_number="+testCard), http.StatusBadRequest)
	// A good card: on to the order page.
	r = c.post(payPath, url.Values{"card_number": {"4242 4242 4242 4242"}, "card_exp": {"12/34"}, "card_cvc": {testCVC}})
	want(t, r, http.StatusSeeOther)
	orderURL, _ := url.Parse(r.Header.Get("Location"))
	r = c.get(orderURL.RequestURI())
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "CANDOR") || !strings.Contains(r.body, "ending in 4242") || !strings.Contains(r.body, "TEST MODE") {
		t.Fatalf("order page:\n%s", r.body)
	}
	for _, bad := range []string{testCard, "lee@buyer.example"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("the order page shows %q", bad)
		}
	}
	i := strings.Index(r.body, "/downloads/")
	if i < 0 {
		t.Fatalf("no download link:\n%s", r.body)
	}
	link := r.body[strings.LastIndex(r.body[:i], `"`)+1 : i+strings.Index(r.body[i:], `"`)]
	dl, _ := url.Parse(strings.ReplaceAll(link, "&amp;", "&"))
	d := c.get(dl.RequestURI())
	want(t, d, http.StatusOK)
	if d.body != "the tool" {
		t.Fatalf("download: %q", d.body)
	}
	// A tampered link opens nothing.
	want(t, c.get(strings.Replace(orderURL.RequestURI(), "s=", "s=0", 1)), http.StatusNotFound)
}

func withAction(v url.Values, action string) url.Values {
	out := url.Values{"action": {action}}
	for k, x := range v {
		out[k] = x
	}
	return out
}

// panickingProcessor is a FAKE card company whose Tokenize panics: a fault no real
// processor produces, to prove that a crash in the middle of a payment leaks nothing.
type panickingProcessor struct {
	*sandbox.Sandbox
	armed *atomic.Bool
}

func (p panickingProcessor) Tokenize(ctx context.Context, c *payment.Card) (payment.Method, error) {
	if p.armed.Load() {
		panic("processor adapter bug")
	}
	return p.Sandbox.Tokenize(ctx, c)
}

// Promise: a panic while the card is in hand answers a clean 500 and leaves the card
// in no log and no response.
func TestPanicDuringPaymentLeaksNoCard(t *testing.T) {
	armed := &atomic.Bool{}
	e := newEnvWith(t, panickingProcessor{sandbox.New(), armed})
	e.canary(testCard, "4242 4242 4242 4242")
	pending, _ := shopFixture(t, e)
	armed.Store(true)
	r := e.client().holdCheckout(pending.Ref).post("/checkout/"+pending.Ref+"/pay", url.Values{"card_number": {"4242 4242 4242 4242"}, "card_exp": {"12/34"}, "card_cvc": {testCVC}})
	want(t, r, http.StatusInternalServerError)
	if strings.Contains(r.body, "4242") || strings.Contains(r.body, testCVC) {
		t.Fatalf("the error page shows the card:\n%s", r.body)
	}
	if !strings.Contains(e.logs.String(), "panic") {
		t.Fatal("the panic was not logged")
	}
}

// Promise: "find my orders" answers the same for every address (no enumeration) and
// mails order links only to an address that bought something.
func TestFindMyOrders(t *testing.T) {
	e := newEnv(t)
	shopFixture(t, e)
	outbox := func() int {
		var n int
		must(t, e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'shop.find-orders'").Scan(&n))
		return n
	}
	c := e.client()
	known := c.post("/orders/find", url.Values{"email": {"pat@buyer.example"}})
	unknown := c.post("/orders/find", url.Values{"email": {"nobody@buyer.example"}})
	for _, r := range []resp{known, unknown} {
		wantRedirect(t, r, "/orders/find/sent")
	}
	if n := outbox(); n != 1 {
		t.Fatalf("%d mails; want one, for the buyer only", n)
	}
	// The honeypot is answered as accepted and mails nothing.
	wantRedirect(t, c.post("/orders/find", url.Values{"email": {"pat@buyer.example"}, "website": {"http://spam.example"}}), "/orders/find/sent")
	// Per address: a few mails, then the limit (a mailbox cannot be flooded).
	for range 5 {
		c.post("/orders/find", url.Values{"email": {"pat@buyer.example"}})
	}
	if n := outbox(); n > 3 {
		t.Fatalf("%d mails to one address in a row", n)
	}
	want(t, c.post("/orders/find", url.Values{"email": {"not an address"}}), http.StatusBadRequest)
}

// FuzzCheckoutDecoder feeds the checkout's decoders (the form decoder, the card fields,
// the checkout fields) arbitrary bodies: no panic, and no error ever repeats the card
// number it was given.
func FuzzCheckoutDecoder(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "card_number=4242+4242+4242+4242&card_exp=12%2F34&card_cvc=987")
	f.Add("application/json", `{"card_number":"4000000000000002","card_exp_month":"1","card_exp_year":"2031","card_cvc":"1234"}`)
	f.Add("application/x-www-form-urlencoded", "name=A&email=a%40b.example&country=DE&quantity=-1&currency=eur&coupon=%00")
	f.Add("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"card_number\"\r\n\r\n4242424242424242\r\n--x--\r\n")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		r := httptest.NewRequest(http.MethodPost, "/checkout/ord_x/pay", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		r.SetPathValue("product", "p")
		r.SetPathValue("edition", "e")
		form, err := decodePublicForm(r)
		if err != nil {
			return
		}
		_ = checkoutInput(r, form.get)
		card, err := decodeCard(form, time.Now())
		number := form.get("card_number")
		clearForm(form)
		if err != nil {
			if digits := strings.Map(func(c rune) rune {
				if c >= '0' && c <= '9' {
					return c
				}
				return -1
			}, number); len(digits) >= 12 && strings.Contains(err.Error(), digits) {
				t.Fatalf("the error repeats the card number: %v", err)
			}
			return
		}
		if s := fmt.Sprintf("%v %+v %#v", card, card, *card); strings.Contains(s, card.Number.Reveal()) {
			t.Fatalf("a card prints its number: %s", s)
		}
		card.Clear()
	})
}
