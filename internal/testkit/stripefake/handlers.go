package stripefake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/payment"
)

// serve answers one request: scripted faults first (as Stripe's edge would), then
// idempotent replay, then the endpoint.
func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		write(w, http.StatusBadRequest, apiError("invalid_request_error", "parameter_invalid", "", nil))
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if key != "" {
		f.mu.Lock()
		f.requests[key]++
		f.mu.Unlock()
	}
	if !authorized(r) {
		write(w, http.StatusUnauthorized, apiError("invalid_request_error", "api_key_invalid", "", nil))
		return
	}
	lose := false
	switch f.nextFault(r, key) {
	case RateLimit:
		write(w, http.StatusTooManyRequests, apiError("invalid_request_error", "rate_limit", "", nil))
		return
	case ServerError:
		write(w, http.StatusInternalServerError, apiError("api_error", "", "", nil))
		return
	case Hang:
		select {
		case <-r.Context().Done():
		case <-f.closing:
		}
		return
	case LoseAnswer:
		lose = true
	}

	f.mu.Lock()
	status, body := 0, []byte(nil)
	if a, ok := f.saved[key]; ok && r.Method == http.MethodPost {
		status, body = a.status, a.body
		if a.request != fingerprint(r) {
			status, body = http.StatusBadRequest, apiError("idempotency_error", "", "", nil)
		}
	} else {
		status, body = f.route(r)
		if key != "" && r.Method == http.MethodPost {
			f.saved[key] = answer{request: fingerprint(r), status: status, body: body}
		}
	}
	f.mu.Unlock()

	if lose {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	write(w, status, body)
}

// route dispatches to the endpoint; f.mu is held.
func (f *Fake) route(r *http.Request) (int, []byte) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && p == "/v1/payment_methods":
		return f.createMethod(r)
	case r.Method == http.MethodPost && p == "/v1/payment_intents":
		return f.createIntent(r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v1/payment_intents/"):
		pi, ok := f.intents[strings.TrimPrefix(p, "/v1/payment_intents/")]
		if !ok {
			return http.StatusNotFound, apiError("invalid_request_error", "resource_missing", "", nil)
		}
		return http.StatusOK, jsonOf(f.expand(pi, r))
	case r.Method == http.MethodPost && p == "/v1/refunds":
		return f.createRefund(r)
	case r.Method == http.MethodPost && p == "/v1/checkout/sessions":
		return f.createSession(r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v1/checkout/sessions/"):
		s, ok := f.sessions[strings.TrimPrefix(p, "/v1/checkout/sessions/")]
		if !ok {
			return http.StatusNotFound, apiError("invalid_request_error", "resource_missing", "", nil)
		}
		return http.StatusOK, jsonOf(s)
	}
	return http.StatusNotFound, apiError("invalid_request_error", "resource_missing", "", nil)
}

// createMethod keeps a card's brand, last 4 and expiry; the number is dropped here.
func (f *Fake) createMethod(r *http.Request) (int, []byte) {
	n, err := payment.ParseCardNumber(r.Form.Get("card[number]"))
	if err != nil {
		return http.StatusPaymentRequired, apiError("card_error", "incorrect_number", "", nil)
	}
	month, _ := strconv.Atoi(r.Form.Get("card[exp_month]"))
	year, _ := strconv.Atoi(r.Form.Get("card[exp_year]"))
	pm := map[string]any{"id": newID("pm_fake_"), "object": "payment_method", "type": "card",
		"card": map[string]any{"brand": n.Brand(), "last4": n.Last4(), "exp_month": month, "exp_year": year}}
	n.Clear()
	f.methods[pm["id"].(string)] = pm
	return http.StatusOK, jsonOf(pm)
}

// createIntent creates and confirms a PaymentIntent: it succeeds, or declines when
// a decline is scripted.
func (f *Fake) createIntent(r *http.Request) (int, []byte) {
	amount, err := strconv.ParseInt(r.Form.Get("amount"), 10, 64)
	currency, method := r.Form.Get("currency"), r.Form.Get("payment_method")
	if err != nil || amount <= 0 || len(currency) != 3 || !strings.HasPrefix(method, "pm_") {
		return http.StatusBadRequest, apiError("invalid_request_error", "parameter_invalid", "", nil)
	}
	pi := map[string]any{"id": newID("pi_fake_"), "object": "payment_intent", "amount": amount, "currency": currency,
		"status": "succeeded", "payment_method": method, "description": r.Form.Get("description"),
		"metadata": map[string]string{"order_ref": r.Form.Get("metadata[order_ref]")}}
	f.intents[pi["id"].(string)] = pi
	if len(f.declines) == 0 {
		return http.StatusOK, jsonOf(f.expand(pi, r))
	}
	decline := f.declines[0]
	f.declines = f.declines[1:]
	code := "card_declined"
	switch decline {
	case "expired_card", "incorrect_cvc", "authentication_required":
		code = decline
	}
	pi["status"] = "requires_payment_method"
	pi["last_payment_error"] = map[string]any{"type": "card_error", "code": code, "decline_code": decline}
	return http.StatusPaymentRequired, apiError("card_error", code, decline, f.expand(pi, r))
}

// createRefund refunds part of a succeeded PaymentIntent, never more than is left.
func (f *Fake) createRefund(r *http.Request) (int, []byte) {
	id := r.Form.Get("payment_intent")
	pi, ok := f.intents[id]
	if !ok {
		return http.StatusNotFound, apiError("invalid_request_error", "resource_missing", "", nil)
	}
	left := pi["amount"].(int64) - f.refunded[id]
	amount := left
	if a := r.Form.Get("amount"); a != "" {
		amount, _ = strconv.ParseInt(a, 10, 64)
	}
	switch {
	case pi["status"] != "succeeded":
		return http.StatusBadRequest, apiError("invalid_request_error", "charge_not_refundable", "", nil)
	case amount <= 0 || amount > left:
		return http.StatusBadRequest, apiError("invalid_request_error", "amount_too_large", "", nil)
	}
	f.refunded[id] += amount
	f.refunds++
	return http.StatusOK, jsonOf(map[string]any{"id": newID("re_fake_"), "object": "refund", "amount": amount,
		"currency": pi["currency"], "payment_intent": id, "status": "succeeded"})
}

// createSession creates an open, unpaid Checkout Session.
func (f *Fake) createSession(r *http.Request) (int, []byte) {
	amount, _ := strconv.ParseInt(r.Form.Get("line_items[0][price_data][unit_amount]"), 10, 64)
	id := newID("cs_fake_")
	s := map[string]any{"id": id, "object": "checkout.session", "mode": "payment", "status": "open",
		"payment_status": "unpaid", "amount_total": amount, "currency": r.Form.Get("line_items[0][price_data][currency]"),
		"url": f.URL.String() + "/checkout/" + id, "payment_intent": nil,
		"metadata": map[string]string{"order_ref": r.Form.Get("metadata[order_ref]")}}
	f.sessions[id] = s
	return http.StatusOK, jsonOf(s)
}

// expand replaces the payment method id by the object when the request asks for it.
func (f *Fake) expand(pi map[string]any, r *http.Request) map[string]any {
	want := false
	for k, vs := range r.Form {
		for _, v := range vs {
			want = want || strings.HasPrefix(k, "expand") && v == "payment_method"
		}
	}
	pm, ok := f.methods[pi["payment_method"].(string)]
	if !want || !ok {
		return pi
	}
	out := make(map[string]any, len(pi))
	for k, v := range pi {
		out[k] = v
	}
	out["payment_method"] = pm
	return out
}

// apiError is a Stripe error body.
func apiError(typ, code, declineCode string, pi map[string]any) []byte {
	e := map[string]any{"type": typ, "message": "stripefake: " + typ}
	if code != "" {
		e["code"] = code
	}
	if declineCode != "" {
		e["decline_code"] = declineCode
	}
	if pi != nil {
		e["payment_intent"] = pi
	}
	return jsonOf(map[string]any{"error": e})
}

func jsonOf(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", newID("req_fake_"))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
