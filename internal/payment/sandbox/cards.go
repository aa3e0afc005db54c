package sandbox

import "github.com/candor-dev/candor/internal/payment"

// Behaviour is what a test card does when paid with.
type Behaviour string

// The behaviours of the test cards.
const (
	Succeeds          Behaviour = "succeeds"
	Declines          Behaviour = "declines"           // card_declined, generic_decline
	InsufficientFunds Behaviour = "insufficient_funds" // card_declined, insufficient_funds
	ExpiredCard       Behaviour = "expired_card"
	IncorrectCVC      Behaviour = "incorrect_cvc"
	Requires3DS       Behaviour = "requires_3ds" // 3-D Secure; Authenticate completes it
	LiveCard          Behaviour = "live_card"    // not a test card: declined in test mode
)

// TestCard is one of the card numbers the sandbox knows, as in Stripe's test mode.
type TestCard struct {
	Number    string // digits only
	Brand     string
	Behaviour Behaviour
}

// TestCards are the card numbers the sandbox answers to; any other valid number is
// declined with code LiveCardCode. Use any future expiry and any CVC (4 digits for
// amex). docs/payments.md lists them for staff.
var TestCards = []TestCard{
	{"4242424242424242", "visa", Succeeds},
	{"5555555555554444", "mastercard", Succeeds},
	{"378282246310005", "amex", Succeeds},
	{"4000000000000002", "visa", Declines},
	{"4000000000009995", "visa", InsufficientFunds},
	{"4000000000000069", "visa", ExpiredCard},
	{"4000000000000127", "visa", IncorrectCVC},
	{"4000002760003184", "visa", Requires3DS},
}

// LiveCardCode is the decline code for a card that is not a test card.
const LiveCardCode = "live_card_in_test_mode"

// behaviourOf finds the card among TestCards without copying its digits.
func behaviourOf(n payment.CardNumber) Behaviour {
	for _, tc := range TestCards {
		if n.Equal(tc.Number) {
			return tc.Behaviour
		}
	}
	return LiveCard
}

// decline returns the error a card with behaviour b fails with, or nil when it pays.
func decline(b Behaviour, paymentID string) *payment.Error {
	e := &payment.Error{PaymentID: paymentID}
	switch b {
	case Declines:
		e.Kind, e.Code = payment.Declined, "generic_decline"
	case InsufficientFunds:
		e.Kind, e.Code = payment.InsufficientFunds, "insufficient_funds"
	case ExpiredCard:
		e.Kind, e.Code = payment.ExpiredCard, "expired_card"
	case IncorrectCVC:
		e.Kind, e.Code = payment.IncorrectCVC, "incorrect_cvc"
	case LiveCard:
		e.Kind, e.Code = payment.Declined, LiveCardCode
	default:
		return nil
	}
	return e
}
