package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/shop"
)

// payData feeds templates/pay.html.
type payData struct {
	Order    shop.Order
	Lines    []shop.InvoiceLine
	Hosted   bool
	TestMode bool
	Message  string // that the payment is being checked (shown while Busy)
	Busy     bool   // a payment is under way: the page refreshes itself
}

// cardFieldNames are the payment form's card fields. They are read from a POST body
// only: a request carrying one in its URL is refused before anything else happens.
var cardFieldNames = []string{"card_number", "card_exp", "card_exp_month", "card_exp_year", "card_cvc"}

// refuseCardInURL reports (and answers 400) a request whose query string carries a
// card field: card data never travels in a URL, where logs and histories keep it.
func (s *checkout) refuseCardInURL(w http.ResponseWriter, r *http.Request) bool {
	for k := range r.URL.Query() {
		if slices.Contains(cardFieldNames, strings.ToLower(k)) {
			s.fail(w, r, errs.E(errs.Invalid, "Card details are accepted only in the body of a form post."))
			return true
		}
	}
	return false
}

// payPage is GET /checkout/{ref}/pay: the order's total and the card form (or the
// button to the card company's page in hosted mode); a paid order goes to its page.
func (s *checkout) payPage(w http.ResponseWriter, r *http.Request) {
	if s.refuseCardInURL(w, r) {
		return
	}
	o, err := s.shop.Order(r.Context(), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPay(w, r, http.StatusOK, shop.PayOutcome{Order: o, Paid: o.Status == shop.Paid || o.Status == shop.Fulfilled}, "")
}

// renderPay shows the payment page for an outcome; a paid order goes to its page.
func (s *checkout) renderPay(w http.ResponseWriter, r *http.Request, st int, out shop.PayOutcome, field string) {
	o := out.Order
	if out.Paid {
		http.Redirect(w, r, s.shop.OrderURL(o.Ref), http.StatusSeeOther)
		return
	}
	if o.Status != shop.Pending {
		s.fail(w, r, errs.E(errs.Conflict, "This order is closed. Please start a new purchase."))
		return
	}
	busy := o.AttemptState == shop.AttemptCharging || o.AttemptState == shop.AttemptUnknown
	msg := out.Message
	if busy && msg == "" {
		msg = "Your payment is being processed. This page refreshes itself; you will also receive a receipt by email."
	}
	s.cardPageHeaders(w)
	if busy {
		w.Header().Set("Refresh", "5")
	}
	p := page{Title: "Payment", Field: field,
		Data: payData{Order: o, Lines: shop.InvoiceLines(o), Hosted: s.shop.Mode() == shop.ModeHosted, TestMode: o.TestMode(), Message: msg, Busy: busy}}
	if out.Retry || st >= 400 {
		p.Error = msg // shown above the form; Message is shown only while busy
	}
	s.render(w, r, st, "pay", p)
}

// payPost is POST /checkout/{ref}/pay: the card, passed straight to the processor and
// cleared. The card is never rendered back, logged or stored; only the processor's
// answer (and brand, last 4, expiry) is kept. The order is read again only to show an
// error: the successful path reads it once, inside PayCard.
func (s *checkout) payPost(w http.ResponseWriter, r *http.Request) {
	if s.refuseCardInURL(w, r) {
		return
	}
	ref := r.PathValue("ref")
	again := func(st int, out shop.PayOutcome, field string) {
		o, err := s.shop.Order(r.Context(), ref)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out.Order = o
		s.renderPay(w, r, st, out, field)
	}
	if !s.cardLimit.Allow(ClientIP(r.Context())) || !s.cardLimit.Allow(ref) {
		again(http.StatusTooManyRequests, shop.PayOutcome{Retry: true, Message: "Too many card attempts. Please wait a few minutes before trying again."}, "")
		return
	}
	f, err := decodePublicForm(r)
	var card *payment.Card
	if err == nil {
		card, err = decodeCard(f, time.Now())
	}
	clearForm(f)
	if err != nil {
		again(status(err), shop.PayOutcome{Retry: true, Message: errs.PublicOf(err)}, fieldOf(err))
		return
	}
	out, err := s.shop.PayCard(r.Context(), ref, card)
	switch {
	case errors.Is(err, shop.ErrPaymentInProgress):
		again(http.StatusOK, shop.PayOutcome{}, "")
	case err != nil:
		s.fail(w, r, err)
	case out.ActionURL != "":
		http.Redirect(w, r, out.ActionURL, http.StatusSeeOther)
	case out.Retry:
		s.renderPay(w, r, http.StatusPaymentRequired, out, "card_number")
	default:
		s.renderPay(w, r, http.StatusOK, out, "")
	}
}

// decodeCard reads the card fields of the payment form: the number, the expiry as
// "MM/YY" (card_exp) or two fields, and the CVC.
func decodeCard(f publicForm, now time.Time) (*payment.Card, error) {
	month, year := f.get("card_exp_month"), f.get("card_exp_year")
	if exp := f.get("card_exp"); exp != "" {
		m, y, ok := strings.Cut(strings.ReplaceAll(exp, " ", ""), "/")
		if !ok {
			return nil, errs.InvalidField("card_exp", "Enter the expiry date as MM/YY.")
		}
		month, year = m, y
	}
	return payment.ParseCard(f.get("card_number"), month, year, f.get("card_cvc"), now)
}

// clearForm drops the decoded card fields (best effort: Go strings cannot be wiped;
// docs/payments.md says what that means).
func clearForm(f publicForm) {
	for _, k := range cardFieldNames {
		delete(f.values, k)
	}
}

// hostedPost is POST /checkout/{ref}/hosted: off to the card company's page.
func (s *checkout) hostedPost(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if !s.cardLimit.Allow(ClientIP(r.Context())) {
		s.fail(w, r, errs.E(errs.RateLimited, "Too many attempts. Please wait a few minutes."))
		return
	}
	base := s.shop.ReturnURL(ref)
	u, err := s.shop.StartHosted(r.Context(), ref, base+"?session_id={CHECKOUT_SESSION_ID}", strings.TrimSuffix(base, "/return")+"/pay")
	if err == nil {
		if herr := httpsOnly(u, s.processorIsTestDouble()); herr != nil {
			err = errs.Wrap(errs.Unavailable, "The card company's page is not available right now. Please try again in a minute.", herr)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// checkoutReturn is GET /checkout/{ref}/return: back from 3-D Secure or the hosted
// page. In test mode, a sandbox_auth parameter shows the test processor's own
// authentication page first.
func (s *checkout) checkoutReturn(w http.ResponseWriter, r *http.Request) {
	if s.refuseCardInURL(w, r) {
		return
	}
	ref, q := r.PathValue("ref"), r.URL.Query()
	if s.sandbox != nil && q.Get("sandbox_auth") == "1" {
		o, err := s.shop.Order(r.Context(), ref)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.cardPageHeaders(w)
		s.render(w, r, http.StatusOK, "test_auth", page{Title: "Authenticate your payment",
			Data: map[string]any{"Order": o, "PaymentIntent": q.Get("payment_intent")}})
		return
	}
	out, err := s.shop.ReturnFromAction(r.Context(), ref, q.Get("payment_intent"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPay(w, r, http.StatusOK, out, "")
}

// testAuthenticate is POST /checkout/{ref}/authenticate, test mode only: the test
// processor's 3-D Secure answer, then back as from a real card company.
func (s *checkout) testAuthenticate(w http.ResponseWriter, r *http.Request) {
	if s.sandbox == nil {
		http.NotFound(w, r)
		return
	}
	pi := r.PostFormValue("payment_intent")
	o, err := s.shop.Order(r.Context(), r.PathValue("ref"))
	if err == nil && (pi == "" || pi != o.PaymentID) {
		err = errs.E(errs.NotFound, "No such payment.")
	}
	if err == nil {
		_, err = s.sandbox.Authenticate(pi, r.PostFormValue("approve") == "yes")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/checkout/"+o.Ref+"/return?"+url.Values{"payment_intent": {pi}}.Encode(), http.StatusSeeOther)
}
