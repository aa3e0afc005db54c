package stripefake

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func post(t *testing.T, f *Fake, path, key string, form url.Values) (int, string, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.URL.String()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+Key)
	req.Header.Set("Idempotency-Key", key)
	// No keep-alive: net/http itself resends a request with an Idempotency-Key once
	// when a reused connection closes, which would hide the lost answer here.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

func TestFake(t *testing.T) {
	f := Start(t)
	status, body, err := post(t, f, "/v1/payment_methods", "m1", url.Values{"type": {"card"}, "card[number]": {"4242424242424242"}})
	if err != nil || status != 200 || strings.Contains(body, "4242424242424242") || !strings.Contains(body, `"last4":"4242"`) {
		t.Fatal(status, body, err)
	}
	pay := url.Values{"amount": {"100"}, "currency": {"eur"}, "payment_method": {"pm_x"}}
	f.Decline("insufficient_funds")
	if status, body, _ := post(t, f, "/v1/payment_intents", "p1", pay); status != 402 || !strings.Contains(body, `"decline_code":"insufficient_funds"`) || !strings.Contains(body, `"id":"pi_fake_`) {
		t.Fatal(status, body)
	}
	if status, _, _ := post(t, f, "/v1/payment_intents", "p1", url.Values{"amount": {"200"}}); status != 400 {
		t.Fatal("key reused:", status)
	}
	f.Fail(LoseAnswer, 1)
	if _, _, err := post(t, f, "/v1/payment_intents", "p2", pay); err == nil {
		t.Fatal("the answer was not lost")
	}
	status, first, _ := post(t, f, "/v1/payment_intents", "p2", pay)
	_, second, _ := post(t, f, "/v1/payment_intents", "p2", pay)
	if status != 200 || first != second || f.PaymentIntents() != 2 || f.Requests("p2") != 3 {
		t.Fatal(status, first, second, f.PaymentIntents(), f.Requests("p2"))
	}
	f.Fail(RateLimit, 1)
	f.Fail(ServerError, 1)
	if s, _, _ := post(t, f, "/v1/refunds", "r1", url.Values{}); s != 429 {
		t.Fatal(s)
	}
	if s, _, _ := post(t, f, "/v1/refunds", "r1", url.Values{}); s != 500 {
		t.Fatal(s)
	}
	if f.Refunds() != 0 {
		t.Fatal(f.Refunds())
	}
}
