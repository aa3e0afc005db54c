package stripe

import (
	sg "github.com/stripe/stripe-go/v85"

	"github.com/candor-dev/candor/internal/payment"
)

// paymentOf is a PaymentIntent as the shop sees it.
func paymentOf(pi *sg.PaymentIntent) payment.Payment {
	p := payment.Payment{
		ID:       pi.ID,
		Status:   statusOf(pi),
		Amount:   pi.Amount,
		Currency: string(pi.Currency),
		OrderRef: pi.Metadata["order_ref"],
		Method:   intentMethod(pi),
	}
	if p.Status == payment.StatusRequiresAction && pi.NextAction != nil && pi.NextAction.RedirectToURL != nil {
		p.ActionURL = pi.NextAction.RedirectToURL.URL
	}
	return p
}

// statusOf maps a PaymentIntent's status. A PaymentIntent back in
// requires_payment_method after an attempt (last_payment_error set) has failed.
func statusOf(pi *sg.PaymentIntent) payment.Status {
	switch pi.Status {
	case sg.PaymentIntentStatusSucceeded:
		return payment.StatusSucceeded
	case sg.PaymentIntentStatusRequiresAction:
		return payment.StatusRequiresAction
	case sg.PaymentIntentStatusProcessing, sg.PaymentIntentStatusRequiresCapture:
		return payment.StatusProcessing
	case sg.PaymentIntentStatusCanceled:
		return payment.StatusCanceled
	case sg.PaymentIntentStatusRequiresPaymentMethod:
		if pi.LastPaymentError != nil {
			return payment.StatusFailed
		}
	}
	return payment.StatusPending
}

// intentMethod finds the card's public facts on an expanded payment method, or else
// on the latest charge.
func intentMethod(pi *sg.PaymentIntent) payment.Method {
	m := methodOf(pi.PaymentMethod)
	if m.Brand == "" && pi.LatestCharge != nil {
		cm := chargeMethod(pi.LatestCharge)
		cm.ID = m.ID
		m = cm
	}
	return m
}

// methodOf is a PaymentMethod's id, brand, last 4 and expiry.
func methodOf(pm *sg.PaymentMethod) payment.Method {
	if pm == nil {
		return payment.Method{}
	}
	m := payment.Method{ID: pm.ID}
	if pm.Card != nil {
		m.Brand, m.Last4 = string(pm.Card.Brand), pm.Card.Last4
		m.ExpMonth, m.ExpYear = int(pm.Card.ExpMonth), int(pm.Card.ExpYear)
	}
	return m
}

// chargeMethod is the card's public facts as a charge reports them.
func chargeMethod(ch *sg.Charge) payment.Method {
	var m payment.Method
	if ch.PaymentMethodDetails != nil && ch.PaymentMethodDetails.Card != nil {
		c := ch.PaymentMethodDetails.Card
		m.Brand, m.Last4, m.ExpMonth, m.ExpYear = string(c.Brand), c.Last4, int(c.ExpMonth), int(c.ExpYear)
	}
	m.ID = ch.PaymentMethod
	return m
}

// refundStatus maps a Refund's status.
func refundStatus(s sg.RefundStatus) payment.Status {
	switch s {
	case sg.RefundStatusSucceeded:
		return payment.StatusSucceeded
	case sg.RefundStatusFailed:
		return payment.StatusFailed
	case sg.RefundStatusCanceled:
		return payment.StatusCanceled
	case sg.RefundStatusRequiresAction:
		return payment.StatusRequiresAction
	}
	return payment.StatusPending
}
