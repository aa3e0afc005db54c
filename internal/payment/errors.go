package payment

import (
	"errors"
	"fmt"
)

// ErrBadSignature is the cause of every webhook refused for its signature or its age.
var ErrBadSignature = errors.New("payment: webhook signature missing, wrong or too old")

// Kind classifies a processor failure for the shop.
type Kind string

// The kinds of processor failure. The first group is the card's fault and final for
// this attempt (another card may be tried); Unavailable and RateLimited leave the
// outcome unknown, so the same request must be retried with the same idempotency key.
const (
	Declined             Kind = "declined"
	InsufficientFunds    Kind = "insufficient_funds"
	ExpiredCard          Kind = "expired_card"
	IncorrectCVC         Kind = "incorrect_cvc"
	AuthenticationFailed Kind = "authentication_failed" // 3-D Secure refused
	InvalidRequest       Kind = "invalid_request"       // a bug or a misconfiguration: never retry as is
	RateLimited          Kind = "rate_limited"          // 429: retry later, same key
	Unavailable          Kind = "unavailable"           // 5xx, timeout, connection lost: outcome unknown
)

// Error is a processor failure. Its message is safe to show to the customer and never
// contains card data or processor internals.
type Error struct {
	Kind      Kind
	PaymentID string // the payment the processor created before refusing, if any
	Code      string // the processor's decline or error code, for staff and logs
	Cause     error  // logged, never shown
}

func (e *Error) Error() string {
	s := "payment: " + string(e.Kind)
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Cause }

// CardFault reports whether the failure is the card's (declined, expired, …): final for
// this attempt, and worth telling the customer.
func (e *Error) CardFault() bool {
	switch e.Kind {
	case Declined, InsufficientFunds, ExpiredCard, IncorrectCVC, AuthenticationFailed:
		return true
	}
	return false
}

// OutcomeUnknown reports whether the processor may or may not have acted: the request
// must be retried with the same idempotency key before anything else is tried.
func (e *Error) OutcomeUnknown() bool { return e.Kind == Unavailable || e.Kind == RateLimited }

// Message is what the customer reads.
func (e *Error) Message() string {
	switch e.Kind {
	case Declined:
		return "Your card was declined. Please try another card."
	case InsufficientFunds:
		return "Your card has insufficient funds. Please try another card."
	case ExpiredCard:
		return "Your card has expired. Please try another card."
	case IncorrectCVC:
		return "The security code (CVC) is incorrect."
	case AuthenticationFailed:
		return "The card could not be authenticated. Please try again or use another card."
	case RateLimited, Unavailable:
		return "The card company is not answering right now. Your card has not been charged twice; we will settle this order and let you know."
	}
	return "The payment could not be processed."
}

// Errorf builds an *Error of a kind with a formatted cause.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Cause: fmt.Errorf(format, args...)}
}
