package e2e

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/stripefake"
)

// The card canaries: Stripe's success test number and a CVC, typed into every form.
const (
	canaryCard = "4242424242424242"
	canaryCVC  = "987"
)

// cardCanaries are the card number as people type it, and the CVC in the context it
// could leak in (a bare "987" is too common a byte string to search for alone).
var cardCanaries = []string{canaryCard, "4242 4242 4242 4242", "4242-4242-4242-4242", "card_cvc=" + canaryCVC, `"card_cvc":"` + canaryCVC + `"`}

// buyer walks the checkout as a browser without JavaScript would.
type buyer struct {
	t *testing.T
	b *browser
}

// order fills the checkout form of northwind/std and returns the payment page's path.
func (u buyer) order() string {
	u.t.Helper()
	r := u.b.post("/buy/northwind/std", url.Values{"action": {"continue"}, "name": {"Cara Card"}, "email": {"cara@buyer.example"},
		"country": {"DE"}, "quantity": {"1"}, "currency": {"EUR"}})
	want(u.t, r, http.StatusSeeOther)
	return r.Header.Get("Location")
}

// pay posts the card form; card fields only ever travel in the body.
func (u buyer) pay(path, number, exp string) resp {
	u.t.Helper()
	r := u.b.post(path, url.Values{"card_number": {number}, "card_exp": {exp}, "card_cvc": {canaryCVC}})
	for _, c := range []string{canaryCard, "4242 4242 4242 4242", canaryCVC} {
		if strings.Contains(r.body, `value="`+c) {
			u.t.Errorf("the answer to a card post echoes %q in a form field", c)
		}
	}
	u.redirectKeepsNoCard(r.Header.Get("Location"))
	return r
}

// redirectKeepsNoCard fails when a redirect carries a card field or value. A bare "987"
// may well occur inside a random order reference, so the CVC is looked for as a
// query value, not as a substring.
func (u buyer) redirectKeepsNoCard(location string) {
	u.t.Helper()
	if strings.Contains(location, canaryCard) || strings.Contains(location, "card_") {
		u.t.Errorf("the redirect after a card post carries card data: %s", location)
	}
	if l, err := url.Parse(location); err == nil {
		for _, vs := range l.Query() {
			for _, v := range vs {
				if v == canaryCVC || strings.ReplaceAll(v, " ", "") == canaryCard {
					u.t.Errorf("the redirect after a card post carries card data: %s", location)
				}
			}
		}
	}
}

// Promise: the card number "is not kept or recorded by us or our computers" and is
// "simply passed through to the credit card company". Checkouts in the test and
// pass-through modes — success, decline, a validation error, a card in a URL, the card
// company failing, a lost answer — leave the card number and CVC nowhere: not in the
// data directory (database, WAL, keys), the logs, the mail outbox (inside the
// database) or the temporary directory, in any encoding.
func TestCardNumberIsNeverKept(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	in := newInstall(t)
	in.canary(cardCanaries...)
	if out, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := in.candor("", nil, append([]string{"products", "add", "--slug", "northwind", "--name", "Northwind",
		"--edition", "std:Standard:49.00:EUR"}, in.args()...)...); err != nil {
		t.Fatalf("products add: %v\n%s", err, out)
	}

	// Test mode: the built-in processor.
	s := in.serve("--log-level", "debug", "--tax-rate", "DE=19")
	u := buyer{t, s.browser()}
	pay := u.order()
	want(t, u.pay(pay, "4242 4242 4242 4242", "13/40"), http.StatusBadRequest) // validation error: month 13
	want(t, u.pay(pay, "4000 0000 0000 0002", "12/34"), http.StatusPaymentRequired)
	want(t, u.b.get(pay+"?card_number="+canaryCard+"&card_cvc="+canaryCVC), http.StatusBadRequest)
	if r := u.pay(pay, "4242 4242 4242 4242", "12/34"); r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "/orders/") {
		t.Fatalf("test-mode success: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	s.stop()

	// Pass-through mode: Stripe's API, here the fault-injecting fake (stripe-mock is
	// stateless and cannot decline or fail).
	fake := stripefake.Start(t)
	s = in.serve("--log-level", "debug", "--payment", "pass-through", "--stripe-key", stripefake.Key, "--stripe-api", fake.URL.String())
	u = buyer{t, s.browser()}
	fake.Decline("generic_decline")
	pay = u.order()
	want(t, u.pay(pay, canaryCard, "12/34"), http.StatusPaymentRequired)
	fake.Fail(stripefake.ServerError, 1)
	pay = u.order()
	if r := u.pay(pay, canaryCard, "12/34"); r.StatusCode >= 500 && !strings.Contains(r.body, "card company") {
		t.Fatalf("processor error: %d\n%s", r.StatusCode, r.body)
	}
	fake.Fail(stripefake.LoseAnswer, 1)
	pay = u.order()
	// "being processed" (200), or paid at once when the HTTP client's own retry of the
	// idempotent request got the answer (303): either way one PaymentIntent.
	if r := u.pay(pay, canaryCard, "12/34"); r.StatusCode != http.StatusOK && r.StatusCode != http.StatusSeeOther {
		t.Fatalf("lost answer: %d\n%s", r.StatusCode, r.body)
	}
	pay = u.order()
	if r := u.pay(pay, "4242-4242-4242-4242", "12/2034"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("pass-through success: %d\n%s", r.StatusCode, r.body)
	}
	s.stop()

	roots := []string{in.dir, tmp}
	canary.AssertAbsent(t, "the card number is not kept or recorded", roots, cardCanaries...)
	for _, hit := range canary.FindIn("logs", []byte(in.logs.String()), cardCanaries...) {
		t.Errorf("the logs contain the card canary %q (%s)", hit.Canary, hit.Encoding)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM shop_orders WHERE card_last4 = '4242'"); n < 2 {
		t.Errorf("%d orders keep the last 4 digits; the brand and last 4 are what may be kept", n)
	}
	if _, err := os.Stat(in.dir); err != nil {
		t.Fatal(err)
	}
}
