package shop

import (
	"context"
	"errors"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/payment"
)

// PayOutcome is what the customer sees after a payment step.
type PayOutcome struct {
	Order     Order
	Paid      bool   // paid and fulfilled
	ActionURL string // where to send the customer next (3-D Secure, the hosted page)
	Message   string // why the card failed, or that the payment is being checked
	Retry     bool   // the customer may pay again (another card)
}

// ErrPaymentInProgress is the public error of a second submit while the first is
// still with the card company.
var ErrPaymentInProgress = errs.E(errs.Conflict, "This order's payment is already being processed. Please wait a moment and reload the page.")

// PayCard pays a pending order with a card typed into Candor's own form (test and
// pass-through modes). The card is handed to the processor's Tokenize first (which
// charges nothing) and cleared at once, whatever happens; then one transaction claims
// the attempt and records the tokenized method, so two concurrent submits of one order
// reach Pay once: the second gets ErrPaymentInProgress.
func (s *Service) PayCard(ctx context.Context, ref string, card *payment.Card) (PayOutcome, error) {
	defer card.Clear()
	if s.opts.Mode == ModeHosted {
		return PayOutcome{}, errs.E(errs.Invalid, "Cards are paid on the card company's page.")
	}
	o, err := s.Order(ctx, ref)
	if err != nil {
		return PayOutcome{}, err
	}
	if err := claimable(o, false); err != nil {
		return PayOutcome{}, err
	}
	m, err := s.proc.Tokenize(ctx, card)
	card.Clear()
	if err != nil {
		var pe *payment.Error
		switch {
		case errors.As(err, &pe) && pe.CardFault():
			return PayOutcome{Order: o, Message: pe.Message(), Retry: true}, nil
		case errors.As(err, &pe) && !pe.OutcomeUnknown():
			// Nothing was charged and nothing will settle this by itself: most often a
			// Stripe account without raw card access (pass-through mode). The buyer is
			// told so plainly; the operator reads why in the log.
			s.opts.Log.Error("shop: the card company refused to take the card; check the payment settings (pass-through needs Stripe's raw card data APIs)",
				"order", o.Ref, "error", err)
			return PayOutcome{}, errs.Wrap(errs.Unavailable, "Card payments are not available right now; nothing was charged. Please try again later or contact us.", err)
		}
		return PayOutcome{}, errs.Wrap(errs.Unavailable, (&payment.Error{Kind: payment.Unavailable}).Message(), err)
	}
	if o, err = s.claim(ctx, ref, &m); err != nil {
		return PayOutcome{}, err
	}
	p, err := s.proc.Pay(ctx, s.payRequest(o))
	if err != nil {
		return s.failed(ctx, o, err)
	}
	out, err := s.outcome(s.apply(ctx, OrderKey{Ref: o.Ref}, "", "", p))
	if err == nil && p.Status == payment.StatusRequiresAction && out.Order.AttemptState == AttemptAction {
		out.ActionURL = p.ActionURL
	}
	return out, err
}

// ReturnURL is where the customer comes back after 3-D Secure or the hosted page.
func (s *Service) ReturnURL(ref string) string {
	return s.opts.PublicURL + "/checkout/" + ref + "/return"
}

// payRequest is the processor request of the order's current attempt: the same on
// every retry, so the idempotency key is honoured.
func (s *Service) payRequest(o Order) payment.PayRequest {
	return payment.PayRequest{
		IdempotencyKey: o.IdempotencyKey(), MethodID: o.MethodID, Amount: o.Total, Currency: o.Currency,
		OrderRef: o.Ref, Description: o.ProductName + " " + o.EditionName, ReturnURL: s.ReturnURL(o.Ref),
	}
}

// StartHosted sends the customer to the card company's hosted page (hosted mode).
// Asking again for the same attempt returns the same page (same idempotency key).
func (s *Service) StartHosted(ctx context.Context, ref, successURL, cancelURL string) (string, error) {
	if s.opts.Mode != ModeHosted {
		return "", errs.E(errs.Invalid, "This shop takes cards on its own page.")
	}
	o, err := s.claim(ctx, ref, nil)
	if err != nil {
		return "", err
	}
	hs, err := s.proc.StartHosted(ctx, payment.HostedRequest{
		IdempotencyKey: o.IdempotencyKey(), Amount: o.Total, Currency: o.Currency,
		Description: o.ProductName + " " + o.EditionName + " × " + itoa(int64(o.Quantity)),
		OrderRef:    o.Ref, SuccessURL: successURL, CancelURL: cancelURL,
	})
	if err != nil {
		_, _ = s.failed(ctx, o, err)
		return "", errs.Wrap(errs.Unavailable, "The card company's page is not available right now. Please try again in a minute.", err)
	}
	err = s.store.Update(ctx, OrderKey{Ref: o.Ref}, "", "", func(x *Order, _ OrderTx) error {
		x.SessionID = hs.ID
		return nil
	})
	return hs.URL, err
}

// claim starts a payment attempt: only a pending order with no attempt under way
// may start one. With m (a card tokenized for this attempt) the method is recorded in
// the same transaction; without it (hosted) an attempt that already has a hosted page
// is reused.
func (s *Service) claim(ctx context.Context, ref string, m *payment.Method) (Order, error) {
	if !validRef(ref) {
		return Order{}, errs.E(errs.NotFound, "No such order.")
	}
	var o Order
	err := s.store.Update(ctx, OrderKey{Ref: ref}, "", "", func(x *Order, _ OrderTx) error {
		hosted := m == nil
		if err := claimable(*x, hosted); err != nil {
			return err
		}
		if !(hosted && x.AttemptState == AttemptAction && x.SessionID != "") {
			x.Attempt++
			x.AttemptState = AttemptCharging
			if hosted {
				x.AttemptState = AttemptAction
			}
			x.AttemptAt = s.now().UTC()
			x.MethodID, x.PaymentID, x.SessionID, x.LastError = "", "", "", ""
			x.CardBrand, x.CardLast4, x.CardExpMonth, x.CardExpYear = "", "", 0, 0
		}
		if m != nil {
			x.MethodID, x.CardBrand, x.CardLast4, x.CardExpMonth, x.CardExpYear = m.ID, m.Brand, m.Last4, m.ExpMonth, m.ExpYear
		}
		o = *x
		return nil
	})
	return o, err
}

// claimable says why an order cannot start a payment attempt now, or nil. hosted
// accepts an attempt that already has its hosted page (the processor gives the same
// page again for the same key).
func claimable(o Order, hosted bool) error {
	switch {
	case o.Status != Pending:
		return errs.E(errs.Conflict, "This order is no longer waiting for payment.")
	case hosted && o.AttemptState == AttemptAction && o.SessionID != "":
		return nil
	case o.AttemptState != AttemptOpen:
		return ErrPaymentInProgress
	}
	return nil
}

// failed records a processor failure of the order's current attempt and says what the
// customer sees. A card's fault (or a request the processor refused) ends the
// attempt, so another card may be tried under a new key; an unknown outcome keeps the
// attempt for reconciliation, which retries it with the same key.
func (s *Service) failed(ctx context.Context, o Order, cause error) (PayOutcome, error) {
	var pe *payment.Error
	if !errors.As(cause, &pe) {
		pe = &payment.Error{Kind: payment.Unavailable, Cause: cause}
	}
	if !pe.CardFault() {
		s.opts.Log.Warn("shop: payment processor failure", "order", o.Ref, "kind", string(pe.Kind), "code", pe.Code, "err", cause)
	}
	var out PayOutcome
	err := s.store.Update(ctx, OrderKey{Ref: o.Ref}, "", "", func(x *Order, _ OrderTx) error {
		if x.Status != Pending || x.Attempt != o.Attempt || x.AttemptState == AttemptDone {
			out = PayOutcome{Order: *x}
			return nil // settled meanwhile (a webhook was faster)
		}
		x.LastError = string(pe.Kind)
		if pe.Code != "" {
			x.LastError += ":" + pe.Code
		}
		if pe.PaymentID != "" {
			x.PaymentID = pe.PaymentID
		}
		if pe.OutcomeUnknown() {
			x.AttemptState = AttemptUnknown
		} else {
			x.AttemptState = AttemptOpen
		}
		out = PayOutcome{Order: *x, Message: pe.Message(), Retry: x.AttemptState == AttemptOpen}
		return nil
	})
	return out, err
}

// outcome turns a settled order into what the customer sees.
func (s *Service) outcome(o Order, err error) (PayOutcome, error) {
	if err != nil {
		return PayOutcome{}, err
	}
	out := PayOutcome{Order: o, Paid: o.Status == Paid || o.Status == Fulfilled}
	switch {
	case out.Paid:
	case o.Status != Pending:
		out.Message = "This order is closed."
	case o.AttemptState == AttemptOpen:
		out.Message, out.Retry = (&payment.Error{Kind: payment.Declined}).Message(), true
	case o.AttemptState == AttemptUnknown || o.AttemptState == AttemptCharging:
		out.Message = "We are waiting for the card company's answer. This page will show the result; you will also receive a receipt by email."
	}
	return out, nil
}

// ReturnFromAction settles an order when the customer comes back from 3-D Secure
// (paymentID) or from the hosted page, by asking the processor for the payment's state.
func (s *Service) ReturnFromAction(ctx context.Context, ref, paymentID string) (PayOutcome, error) {
	o, err := s.Order(ctx, ref)
	if err != nil {
		return PayOutcome{}, err
	}
	if o.Status != Pending {
		return s.outcome(o, nil)
	}
	var p payment.Payment
	switch {
	case o.SessionID != "":
		p, err = s.proc.HostedPayment(ctx, o.SessionID)
	case o.PaymentID != "" && o.PaymentID == paymentID:
		p, err = s.proc.Payment(ctx, o.PaymentID)
	default:
		return s.outcome(o, nil)
	}
	if err != nil {
		return s.failed(ctx, o, err)
	}
	return s.outcome(s.apply(ctx, OrderKey{Ref: o.Ref}, "", "", p))
}
