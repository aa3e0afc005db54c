package stripe

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/candor-dev/candor/internal/payment"
)

const whsec = "whsec_test_candor"

func signed(payload string, at time.Time, secret string) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: secret, Timestamp: at}).Header
}

func event(typ, object string) string {
	return fmt.Sprintf(`{"id":"evt_1","object":"event","type":%q,"created":1767225600,"api_version":"2019-02-19","data":{"object":%s}}`, typ, object)
}

func TestWebhookEvents(t *testing.T) {
	c, _ := New(Options{Key: "sk_test_x", WebhookSecret: whsec})
	pi := `{"id":"pi_1","object":"payment_intent","amount":1999,"currency":"eur","status":"succeeded","metadata":{"order_ref":"ord_1"},"payment_method":"pm_1"}`
	tests := []struct {
		typ, object string
		want        payment.Event
	}{
		{"payment_intent.succeeded", pi, payment.Event{Type: payment.EventPaymentSucceeded, PaymentID: "pi_1", OrderRef: "ord_1", Amount: 1999, Currency: "eur", Method: payment.Method{ID: "pm_1"}}},
		{"payment_intent.payment_failed", pi, payment.Event{Type: payment.EventPaymentFailed, PaymentID: "pi_1", OrderRef: "ord_1", Amount: 1999, Currency: "eur", Method: payment.Method{ID: "pm_1"}}},
		{"checkout.session.completed", `{"id":"cs_1","object":"checkout.session","amount_total":1999,"currency":"eur","payment_status":"paid","status":"complete","payment_intent":"pi_1","metadata":{"order_ref":"ord_1"}}`,
			payment.Event{Type: payment.EventHostedCompleted, SessionID: "cs_1", PaymentID: "pi_1", OrderRef: "ord_1", Amount: 1999, Currency: "eur"}},
		{"checkout.session.completed", `{"id":"cs_1","object":"checkout.session","amount_total":1999,"currency":"eur","payment_status":"unpaid","status":"complete","payment_intent":"pi_1","metadata":{"order_ref":"ord_1"}}`,
			payment.Event{Type: payment.EventIgnored}}, // a delayed payment method: not paid yet
		{"checkout.session.async_payment_succeeded", `{"id":"cs_1","object":"checkout.session","amount_total":1999,"currency":"eur","payment_status":"paid","status":"complete","payment_intent":"pi_1","metadata":{"order_ref":"ord_1"}}`,
			payment.Event{Type: payment.EventHostedCompleted, SessionID: "cs_1", PaymentID: "pi_1", OrderRef: "ord_1", Amount: 1999, Currency: "eur"}},
		{"checkout.session.async_payment_failed", `{"id":"cs_1","object":"checkout.session","amount_total":1999,"currency":"eur","payment_status":"unpaid","status":"complete","payment_intent":"pi_1","metadata":{"order_ref":"ord_1"}}`,
			payment.Event{Type: payment.EventPaymentFailed, SessionID: "cs_1", PaymentID: "pi_1", OrderRef: "ord_1", Amount: 1999, Currency: "eur"}},
		{"checkout.session.expired", `{"id":"cs_1","object":"checkout.session","amount_total":1999,"currency":"eur","payment_status":"unpaid","status":"expired","payment_intent":null,"metadata":{"order_ref":"ord_1"}}`,
			payment.Event{Type: payment.EventHostedExpired, SessionID: "cs_1", OrderRef: "ord_1", Amount: 1999, Currency: "eur"}},
		{"charge.refunded", `{"id":"ch_1","object":"charge","amount":1999,"amount_refunded":500,"currency":"eur","payment_intent":"pi_1","payment_method":"pm_1","metadata":{"order_ref":"ord_1"},"payment_method_details":{"type":"card","card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030}}}`,
			payment.Event{Type: payment.EventRefunded, PaymentID: "pi_1", OrderRef: "ord_1", Amount: 500, Currency: "eur", Method: payment.Method{ID: "pm_1", Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2030}}},
		{"charge.dispute.created", `{"id":"dp_1","object":"dispute","amount":1999,"currency":"eur","charge":"ch_1","payment_intent":"pi_1","metadata":{}}`,
			payment.Event{Type: payment.EventDisputed, PaymentID: "pi_1", Amount: 1999, Currency: "eur"}},
		{"customer.created", `{"id":"cus_1","object":"customer"}`, payment.Event{Type: payment.EventIgnored}},
	}
	for _, tt := range tests {
		body := event(tt.typ, tt.object)
		got, err := c.ParseWebhook([]byte(body), signed(body, time.Now(), whsec))
		tt.want.ID, tt.want.Created = "evt_1", time.Unix(1767225600, 0).UTC()
		if err != nil || got != tt.want {
			t.Errorf("%s:\n got %+v %v\nwant %+v", tt.typ, got, err, tt.want)
		}
	}
}

func TestWebhookRefused(t *testing.T) {
	c, _ := New(Options{Key: "sk_test_x", WebhookSecret: whsec})
	body := event("payment_intent.succeeded", `{"id":"pi_1","object":"payment_intent"}`)
	for name, header := range map[string]string{
		"forged":          signed(body, time.Now(), "whsec_other"),
		"stale":           signed(body, time.Now().Add(-301*time.Second), whsec),
		"from the future": signed(body, time.Now().Add(301*time.Second), whsec), // skew bounded both ways: a signature made ahead of time is not replayable later
		"missing":         "",
		"garbage":         "t=abc,v1=zz",
		"other body":      signed(body+" ", time.Now(), whsec),
		"no v1 signature": fmt.Sprintf("t=%d", time.Now().Unix()),
	} {
		if _, err := c.ParseWebhook([]byte(body), header); !errors.Is(err, payment.ErrBadSignature) {
			t.Errorf("%s: %v", name, err)
		} else if strings.Contains(err.Error(), whsec) {
			t.Errorf("%s: the error shows the secret", name)
		}
	}
	if _, err := c.ParseWebhook([]byte(body), signed(body, time.Now().Add(-290*time.Second), whsec)); err != nil {
		t.Errorf("within tolerance: %v", err)
	}
	if _, err := c.ParseWebhook([]byte(body), signed(body, time.Now().Add(290*time.Second), whsec)); err != nil {
		t.Errorf("within tolerance ahead (a processor clock slightly fast): %v", err)
	}
	noSecret, _ := New(Options{Key: "sk_test_x"})
	if _, err := noSecret.ParseWebhook([]byte(body), signed(body, time.Now(), "")); !errors.Is(err, payment.ErrBadSignature) {
		t.Errorf("no secret configured: %v", err)
	}
	for name, bad := range map[string]string{
		"not json":     `{"id":`,
		"no id":        `{"object":"event","type":"customer.created","data":{"object":{}}}`,
		"wrong object": event("charge.refunded", `{"amount_refunded":"lots"}`),
		"no object":    `{"id":"evt_2","object":"event","type":"charge.refunded","data":{}}`,
	} {
		_, err := c.ParseWebhook([]byte(bad), signed(bad, time.Now(), whsec))
		if err == nil || errors.Is(err, payment.ErrBadSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParseWebhook(f *testing.F) {
	c, _ := New(Options{Key: "sk_test_x", WebhookSecret: whsec})
	f.Add([]byte(event("charge.refunded", `{"id":"ch_1","amount_refunded":5,"payment_intent":"pi_1"}`)), "", true)
	f.Add([]byte(event("checkout.session.completed", `{"id":"cs_1","payment_intent":{"id":"pi_1"}}`)), "t=1,v1=00", false)
	f.Add([]byte(`{}`), "t=,v1=", true)
	f.Fuzz(func(t *testing.T, payload []byte, header string, sign bool) {
		if sign {
			header = signed(string(payload), time.Now(), whsec)
		}
		ev, err := c.ParseWebhook(payload, header)
		if err == nil && (ev.ID == "" || ev.Type == "") {
			t.Fatalf("accepted an event without id or type: %+v", ev)
		}
		if !sign && err == nil {
			t.Fatalf("accepted an unsigned payload with header %q", header)
		}
	})
}
