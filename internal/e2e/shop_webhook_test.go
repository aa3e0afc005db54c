package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/candor-dev/candor/internal/testkit/stripefake"
)

const webhookSecret = "whsec_candor_e2e"

// stripeEvent is a Stripe event as the webhook endpoint receives it.
func stripeEvent(id, typ, object string) []byte {
	return fmt.Appendf(nil, `{"id":%q,"object":"event","type":%q,"created":%d,"api_version":"2026-03-25.dahlia","data":{"object":%s}}`,
		id, typ, time.Now().Unix(), object)
}

// postWebhook signs payload with secret at the given time and posts it.
func postWebhook(t *testing.T, s *server, payload []byte, secret string, at time.Time) int {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/stripe", bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signed.Header)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// Promise: an order is fulfilled once whatever the webhooks do — duplicated, out of
// order, forged or stale — and a hosted checkout never shows Candor the card.
func TestHostedCheckoutAndWebhooks(t *testing.T) {
	in := newInstall(t)
	if out, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := in.candor("", nil, append([]string{"products", "add", "--slug", "northwind", "--name", "Northwind",
		"--edition", "std:Standard:49.00:EUR"}, in.args()...)...); err != nil {
		t.Fatalf("products add: %v\n%s", err, out)
	}
	fake := stripefake.Start(t)
	s := in.serve("--payment", "hosted", "--stripe-key", stripefake.Key, "--stripe-api", fake.URL.String(),
		"--stripe-webhook-secret", webhookSecret, "--tax-rate", "DE=19")
	u := buyer{t, s.browser()}
	pay := u.order()
	page := u.b.get(pay)
	want(t, page, http.StatusOK)
	if strings.Contains(page.body, "card_number") {
		t.Fatal("the hosted mode's payment page has a card field")
	}
	ref := strings.Split(pay, "/")[2]
	r := u.b.post("/checkout/"+ref+"/hosted", nil)
	want(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") == "" || strings.HasPrefix(r.Header.Get("Location"), "/") {
		t.Fatalf("hosted checkout redirects to %q", r.Header.Get("Location"))
	}

	session := fmt.Sprintf(`{"id":"cs_e2e","object":"checkout.session","amount_total":5831,"currency":"eur","payment_status":"paid","status":"complete","payment_intent":"pi_e2e","metadata":{"order_ref":%q}}`, ref)
	completed := stripeEvent("evt_e2e_1", "checkout.session.completed", session)
	failed := stripeEvent("evt_e2e_0", "payment_intent.payment_failed",
		fmt.Sprintf(`{"id":"pi_e2e","object":"payment_intent","amount":5831,"currency":"eur","status":"requires_payment_method","metadata":{"order_ref":%q}}`, ref))
	if st := postWebhook(t, s, completed, "whsec_forged", time.Now()); st != http.StatusBadRequest {
		t.Errorf("forged signature: %d", st)
	}
	if st := postWebhook(t, s, completed, webhookSecret, time.Now().Add(-6*time.Minute)); st != http.StatusBadRequest {
		t.Errorf("stale signature: %d", st)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM shop_orders WHERE status = 'fulfilled'"); n != 0 {
		t.Fatalf("a refused webhook fulfilled %d orders", n)
	}
	for _, ev := range [][]byte{completed, completed, failed, completed} {
		if st := postWebhook(t, s, ev, webhookSecret, time.Now()); st != http.StatusOK {
			t.Fatalf("webhook: %d", st)
		}
	}
	if n := in.count(t, "SELECT COUNT(*) FROM shop_orders WHERE status = 'fulfilled'"); n != 1 {
		t.Errorf("%d fulfilled orders after duplicated and out-of-order webhooks", n)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM shop_licences"); n != 1 {
		t.Errorf("%d licences", n)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'shop.receipt'"); n != 1 {
		t.Errorf("%d receipts", n)
	}
	// Back from the card company's page: the buyer's browser (its checkout cookie) lands
	// on the order page; the same return URL in any other browser opens nothing.
	back := "/checkout/" + ref + "/return?session_id=cs_e2e"
	if r := u.b.get(back); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), s.url+"/orders/"+ref+"?") {
		t.Errorf("the buyer's return: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := s.browser().get(back); r.StatusCode != http.StatusOK || r.Header.Get("Location") != "" || strings.Contains(r.body, "/orders/"+ref) {
		t.Errorf("a bare reference's return page: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	s.stop()
}
