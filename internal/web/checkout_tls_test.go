package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Promise (issue 11, "no card over plain HTTP"): the card form and the pay endpoint
// answer only over TLS (Candor's own, or a trusted proxy's X-Forwarded-Proto: https) or
// from this machine; elsewhere a page says why and shows no card field.
func TestCardFormRefusedOverPlainHTTP(t *testing.T) {
	e := newEnv(t, "--trusted-proxy", "10.0.0.9")
	pending, _ := shopFixture(t, e)
	pay := "/checkout/" + pending.Ref + "/pay"
	card := "card_number=" + testCard + "&card_exp=12/34&card_cvc=" + testCVC
	remote := "203.0.113.7:5000"
	buyer := checkoutCookie + "=" + e.shop.CheckoutPass(pending.Ref)
	cases := []struct {
		name, remote, method, body string
		hdr                        map[string]string
		ok                         bool
	}{
		{"plain HTTP from a remote peer", remote, http.MethodGet, "", nil, false},
		{"card post over plain HTTP from a remote peer", remote, http.MethodPost, card, nil, false},
		{"a remote peer claiming https", remote, http.MethodGet, "", map[string]string{"X-Forwarded-Proto": "https"}, false},
		{"a trusted proxy saying http", "10.0.0.9:5000", http.MethodGet, "", map[string]string{"X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.7"}, false},
		{"a trusted proxy saying nothing", "10.0.0.9:5000", http.MethodGet, "", map[string]string{"X-Forwarded-For": "203.0.113.7"}, false},
		{"the return page over plain HTTP", remote, http.MethodGet, "", nil, false},
		{"loopback", "127.0.0.1:5000", http.MethodGet, "", nil, true},
		{"a trusted proxy saying https", "10.0.0.9:5000", http.MethodGet, "", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}, true},
	}
	for _, c := range cases {
		target := pay
		if strings.HasPrefix(c.name, "the return page") {
			target = "/checkout/" + pending.Ref + "/return"
		}
		hdr := map[string]string{"Cookie": buyer} // the buyer's own checkout: only the transport decides
		for k, v := range c.hdr {
			hdr[k] = v
		}
		w := e.serveFrom(c.remote, c.method, target, c.body, hdr)
		body := w.Body.String()
		switch {
		case c.ok && (w.Code != http.StatusOK || !strings.Contains(body, `name="card_number"`)):
			t.Errorf("%s: %s %s answered %d without the card form", c.name, c.method, target, w.Code)
		case !c.ok && w.Code != http.StatusForbidden:
			t.Errorf("%s: %s %s answered %d, want 403", c.name, c.method, target, w.Code)
		case !c.ok && (strings.Contains(body, "card_number") || !strings.Contains(body, "encrypted connection")):
			t.Errorf("%s: the refusal shows a card field or does not say why:\n%s", c.name, body)
		}
	}
	if o, err := e.shop.Order(e.ctx, pending.Ref); err != nil || o.Status != "pending" || o.Attempt != 0 {
		t.Errorf("a card posted in clear reached the processor: %+v %v", o, err)
	}
	// Candor's own TLS listener (r.TLS set) from a remote peer.
	r := httptest.NewRequest(http.MethodGet, pay, nil)
	r.RemoteAddr, r.TLS = remote, &tls.ConnectionState{Version: tls.VersionTLS13}
	r.Header.Set("Cookie", buyer)
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="card_number"`) {
		t.Errorf("over Candor's own TLS: %d without the card form", w.Code)
	}
}

// Promise: hosted mode sends the buyer only to the card company's https page (http only
// to a loopback test double, when the processor's API is one).
func TestHostedPageHTTPSOnly(t *testing.T) {
	for _, c := range []struct {
		url        string
		testDouble bool
		ok         bool
	}{
		{"https://checkout.stripe.com/c/pay/cs_test_1", false, true},
		{"http://checkout.stripe.com/c/pay/cs_test_1", false, false},
		{"http://checkout.stripe.com/c/pay/cs_test_1", true, false},
		{"http://127.0.0.1:4242/checkout/cs_1", false, false},
		{"http://127.0.0.1:4242/checkout/cs_1", true, true},
		{"javascript:alert(1)", true, false},
		{"/relative", false, false},
		{"https://user:pw@checkout.stripe.com/", false, false},
	} {
		if err := httpsOnly(c.url, c.testDouble); (err == nil) != c.ok {
			t.Errorf("httpsOnly(%q, testDouble %v) = %v, want ok %v", c.url, c.testDouble, err, c.ok)
		}
	}
}
