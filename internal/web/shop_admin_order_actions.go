package web

import (
	"net/http"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// What staff can do to an order: refund it (all or part, through the card company),
// send its receipt again, revoke one of its licences. Each is one form that posts and
// comes back to the order with a notice; a refusal shows the order with the reason.

// shopRefund refunds the typed amount. The amount is required (the form fills in the
// whole remainder) and the confirm box must be ticked: a refund cannot be undone.
func (s *shopAdmin) shopRefund(w http.ResponseWriter, r *http.Request) {
	s.orderAction(w, r, "shop-refunded", func(id int64) (string, error) {
		typed := strings.TrimSpace(r.PostFormValue("amount"))
		o, err := s.shop.GetOrder(r.Context(), principal(r), id) // its currency says how to read the amount
		if err != nil {
			return typed, err
		}
		amount, ok := shop.ParseMoney(typed, o.Currency)
		switch {
		case !ok:
			return typed, errs.InvalidField("amount", "Type the amount to refund, such as 12.50.")
		case amount <= 0:
			return typed, errs.InvalidField("amount", "The refund must be more than zero and no more than what is left to refund.")
		case r.PostFormValue("confirm") != "yes":
			return typed, errs.InvalidField("confirm", "Tick the box to confirm: a refund cannot be undone.")
		}
		_, err = s.shop.RefundOrder(r.Context(), principal(r), id, amount)
		return typed, err
	})
}

// shopResendReceipt queues the order's receipt again, to the buyer's address.
func (s *shopAdmin) shopResendReceipt(w http.ResponseWriter, r *http.Request) {
	s.orderAction(w, r, "shop-receipt-queued", func(id int64) (string, error) {
		return "", s.shop.ResendReceipt(r.Context(), principal(r), id)
	})
}

// shopRevokeLicence revokes the licence named by the posted licence id.
func (s *shopAdmin) shopRevokeLicence(w http.ResponseWriter, r *http.Request) {
	s.orderAction(w, r, "shop-licence-revoked", func(id int64) (string, error) {
		lic := strings.TrimSpace(r.PostFormValue("licence"))
		if lic == "" {
			return "", errs.E(errs.Invalid, "Choose a licence to revoke.")
		}
		return "", s.shop.RevokeLicence(r.Context(), principal(r), id, lic)
	})
}

// orderAction runs one action on the order in the path: success redirects back to it
// with the notice done; a refusal (invalid, conflict, card company unavailable) shows
// the order again with the reason, and typed kept in the refund form.
func (s *shopAdmin) orderAction(w http.ResponseWriter, r *http.Request, done string, act func(id int64) (typed string, err error)) {
	id, ok := s.postedID(w, r, "order")
	if !ok {
		return
	}
	typed, err := act(id)
	if err != nil {
		if !refused(err) {
			s.fail(w, r, err)
			return
		}
		s.renderOrder(w, r, status(err), page{Error: errs.PublicOf(err), Field: fieldOf(err)}, typed)
		return
	}
	redirectDone(w, r, orderURL(id), done, "")
}
