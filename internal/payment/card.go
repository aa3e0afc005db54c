package payment

import (
	"crypto/subtle"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
)

// The masks every output path prints instead of the digits.
const (
	cardMask = "[card redacted]"
	cvcMask  = "[cvc redacted]"
)

// CardNumber is a card number (PAN) that never leaks when printed, logged or
// marshalled: every fmt verb, slog, JSON and text print "[card redacted]", and gob
// and driver.Valuer refuse it, so it cannot reach a gob stream or an SQL column.
// Last4 and Brand give the public facts; Reveal gives the digits to a processor
// adapter. Copies share the digits, and Clear wipes them for every copy. The zero
// CardNumber holds nothing.
//
// The field is a pointer to a pointer on purpose: when fmt reports a bad verb it
// restarts printing at depth 0 and dereferences a pointer to a slice, array, struct
// or map even in an unexported field (a *[]byte would print as &[52 50 ...]); a
// pointer to a pointer always prints as an address.
type CardNumber struct{ p **[]byte }

// CVC is a card's security code, with the same guarantees as CardNumber: every
// output path prints "[cvc redacted]", gob and driver.Valuer refuse it, and Clear
// wipes it. The zero CVC holds nothing.
type CVC struct{ p **[]byte }

// newDigits stores b (not a copy: the caller hands over a slice it made).
func newDigits(b []byte) **[]byte {
	ref := &b
	return &ref
}

// digitsOf returns the stored slice, or nil when empty or cleared.
func digitsOf(p **[]byte) []byte {
	if p == nil || *p == nil {
		return nil
	}
	return **p
}

// wipe overwrites the digits with zeros and forgets them.
func wipe(p **[]byte) {
	if p == nil || *p == nil {
		return
	}
	clear(**p)
	*p = nil
}

// Reveal returns the digits, or "" when n is zero or cleared. It is for processor
// adapters only (payment/stripe, payment/sandbox), right before the digits leave for
// the processor: the string it makes cannot be wiped (see Card.Clear), so never call
// it anywhere else, and never log, store or compare its result.
func (n CardNumber) Reveal() string { return string(digitsOf(n.p)) }

// Equal reports whether n holds exactly digits, in constant time and without
// copying the digits to a string (the sandbox finds its test cards with it).
func (n CardNumber) Equal(digits string) bool {
	d := digitsOf(n.p)
	return d != nil && subtle.ConstantTimeCompare(d, []byte(digits)) == 1
}

// IsZero reports whether n holds no digits: the zero CardNumber, or a cleared one.
func (n CardNumber) IsZero() bool { return len(digitsOf(n.p)) == 0 }

// Last4 returns the last four digits, which may be shown and stored ("4242"), or ""
// when n is zero or cleared.
func (n CardNumber) Last4() string {
	d := digitsOf(n.p)
	if len(d) < 4 {
		return ""
	}
	return string(d[len(d)-4:])
}

// Masked returns the last four digits behind bullets ("•••• 4242"), for a receipt
// or a page, or the mask when n is zero or cleared.
func (n CardNumber) Masked() string {
	if l := n.Last4(); l != "" {
		return "•••• " + l
	}
	return cardMask
}

// Brand returns the card network from the number's first digits (the IIN): visa,
// mastercard, amex, discover, jcb, diners, unionpay, or unknown.
func (n CardNumber) Brand() string { return brandOf(digitsOf(n.p)) }

// Clear overwrites the digits with zeros and empties n and every copy of it. See
// Card.Clear for what this can and cannot guarantee.
func (n CardNumber) Clear() { wipe(n.p) }

// String returns the mask.
func (n CardNumber) String() string { return cardMask }

// GoString returns the mask, for %#v.
func (n CardNumber) GoString() string { return cardMask }

// Format writes the mask for every verb and flag (%v, %+v, %#v, %s, %d, %x, %q, …).
func (n CardNumber) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, cardMask) }

// LogValue returns the mask, for log/slog.
func (n CardNumber) LogValue() slog.Value { return slog.StringValue(cardMask) }

// MarshalJSON returns the mask as a JSON string; use Last4 or Masked explicitly
// where the last four digits are wanted.
func (n CardNumber) MarshalJSON() ([]byte, error) { return []byte(`"` + cardMask + `"`), nil }

// MarshalText returns the mask.
func (n CardNumber) MarshalText() ([]byte, error) { return []byte(cardMask), nil }

// GobEncode refuses: a card number is never serialized.
func (n CardNumber) GobEncode() ([]byte, error) {
	return nil, errors.New("payment: a card number cannot be gob-encoded; it is never kept")
}

// Value refuses, so a card number cannot be written to a database column.
func (n CardNumber) Value() (driver.Value, error) {
	return nil, errors.New("payment: a card number cannot be stored; store the Method (brand, last 4, expiry)")
}

// Reveal returns the code, or "" when c is zero or cleared. Like CardNumber.Reveal,
// it is for processor adapters only.
func (c CVC) Reveal() string { return string(digitsOf(c.p)) }

// IsZero reports whether c holds no digits: the zero CVC, or a cleared one.
func (c CVC) IsZero() bool { return len(digitsOf(c.p)) == 0 }

// Clear overwrites the digits with zeros and empties c and every copy of it.
func (c CVC) Clear() { wipe(c.p) }

// String returns the mask.
func (c CVC) String() string { return cvcMask }

// GoString returns the mask, for %#v.
func (c CVC) GoString() string { return cvcMask }

// Format writes the mask for every verb and flag.
func (c CVC) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, cvcMask) }

// LogValue returns the mask, for log/slog.
func (c CVC) LogValue() slog.Value { return slog.StringValue(cvcMask) }

// MarshalJSON returns the mask as a JSON string.
func (c CVC) MarshalJSON() ([]byte, error) { return []byte(`"` + cvcMask + `"`), nil }

// MarshalText returns the mask.
func (c CVC) MarshalText() ([]byte, error) { return []byte(cvcMask), nil }

// GobEncode refuses: a CVC is never serialized.
func (c CVC) GobEncode() ([]byte, error) {
	return nil, errors.New("payment: a CVC cannot be gob-encoded; it is never kept")
}

// Value refuses, so a CVC cannot be written to a database column.
func (c CVC) Value() (driver.Value, error) {
	return nil, errors.New("payment: a CVC cannot be stored")
}

// Card is what a customer typed into Candor's own card form (pass-through mode),
// parsed by ParseCard. Its number and CVC print as masks everywhere; clear it with
// Clear as soon as Processor.Tokenize has returned.
type Card struct {
	Number   CardNumber
	CVC      CVC
	ExpMonth int // 1–12
	ExpYear  int // four digits
}

// Clear overwrites the card number and CVC with zeros, in this Card and in every copy
// of it; expiry stays. Clear on a nil Card does nothing.
//
// It is a best effort, and this is what Go can and cannot guarantee. Clear wipes the
// one []byte that holds the digits since ParseCard. It cannot wipe: the string the
// form value arrived in (net/http's request buffers and url.Values are strings, and
// Go strings are immutable); the strings made by Reveal for the processor's request
// body, nor that body's buffers; copies the garbage collector or a growing slice may
// have left in freed memory, which Go does not zero before reuse. What limits the
// exposure is short lifetimes (parse, tokenize, clear, all in one request), and the
// process: core dumps disabled at start (procsafe.DisableCoreDumps: RLIMIT_CORE 0, not dumpable), and the
// machine run without swap, or with encrypted swap, so that memory pages holding
// digits are never written to disk (docs/payments.md).
func (c *Card) Clear() {
	if c == nil {
		return
	}
	c.Number.Clear()
	c.CVC.Clear()
}

// Method returns the card's public facts (brand, last 4, expiry) under a processor id.
func (c *Card) Method(id string) Method {
	return Method{ID: id, Brand: c.Number.Brand(), Last4: c.Number.Last4(), ExpMonth: c.ExpMonth, ExpYear: c.ExpYear}
}
