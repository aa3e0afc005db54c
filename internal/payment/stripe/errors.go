package stripe

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	sg "github.com/stripe/stripe-go/v85"

	"github.com/candor-dev/candor/internal/payment"
)

// invalid builds an InvalidRequest error found before asking Stripe.
func invalid(code, cause string) *payment.Error {
	return &payment.Error{Kind: payment.InvalidRequest, Code: code, Cause: errors.New("stripe: " + cause)}
}

// mapError turns what stripe-go returned into a *payment.Error, by the error's type
// and fields only. Anything that is not an answer from Stripe (a refused connection,
// a timeout, a lost answer, a canceled context) leaves the outcome unknown.
func mapError(err error) error {
	var se *sg.Error
	if !errors.As(err, &se) {
		return &payment.Error{Kind: payment.Unavailable, Code: "network", Cause: fmt.Errorf("stripe: no answer: %w", err)}
	}
	e := &payment.Error{Kind: kindOf(se), Code: codeOf(se), Cause: causeOf(se)}
	if se.PaymentIntent != nil {
		e.PaymentID = se.PaymentIntent.ID
	}
	return e
}

// kindOf classifies a Stripe error.
func kindOf(se *sg.Error) payment.Kind {
	switch {
	case se.Type == sg.ErrorTypeCard:
		return cardKind(se)
	case se.HTTPStatusCode == http.StatusTooManyRequests:
		return payment.RateLimited
	case se.HTTPStatusCode >= 500, se.HTTPStatusCode == http.StatusConflict, se.Type == sg.ErrorTypeAPI:
		// 409: another request with the same idempotency key is still running.
		return payment.Unavailable
	case se.Code == sg.ErrorCodePaymentIntentAuthenticationFailure:
		return payment.AuthenticationFailed
	}
	return payment.InvalidRequest
}

// cardKind classifies a card_error by its decline code, then its code.
func cardKind(se *sg.Error) payment.Kind {
	for _, c := range []string{string(se.DeclineCode), string(se.Code)} {
		switch c {
		case "insufficient_funds":
			return payment.InsufficientFunds
		case "expired_card":
			return payment.ExpiredCard
		case "incorrect_cvc", "invalid_cvc":
			return payment.IncorrectCVC
		case "authentication_required", "payment_intent_authentication_failure":
			return payment.AuthenticationFailed
		}
	}
	return payment.Declined
}

// codeOf is the most precise code: the decline code, or else the error code, or
// else the type; "idempotency_key_reused" for a key used with other parameters.
func codeOf(se *sg.Error) string {
	switch {
	case se.Type == sg.ErrorTypeIdempotency && se.HTTPStatusCode != http.StatusConflict:
		return "idempotency_key_reused"
	case se.DeclineCode != "":
		return string(se.DeclineCode)
	case se.Code != "":
		return string(se.Code)
	}
	return string(se.Type)
}

// causeOf describes a Stripe error for the logs: status, type, codes, parameter and
// request id. Stripe's message is left out on purpose (it may quote what was sent).
func causeOf(se *sg.Error) error {
	var b strings.Builder
	fmt.Fprintf(&b, "stripe: HTTP %d %s", se.HTTPStatusCode, se.Type)
	for _, f := range [][2]string{{"code", string(se.Code)}, {"decline_code", string(se.DeclineCode)}, {"param", se.Param}, {"request", se.RequestID}} {
		if f[1] != "" {
			fmt.Fprintf(&b, " %s=%s", f[0], f[1])
		}
	}
	return errors.New(b.String())
}
