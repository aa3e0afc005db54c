package pii

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
)

// emailMask is what every output path prints for an Email.
const emailMask = "[email redacted]"

// Email is a normalized email address that never leaks when printed, logged or
// marshalled: every fmt verb, slog, JSON and text print a constant mask, and gob and
// driver.Valuer refuse it, so an address reaches storage only sealed. The address sits
// behind a pointer, so a struct holding an Email in an unexported field and printed
// with %+v or %#v shows an address, never the email. The zero Email holds nothing.
// Copies share the address; compare with Equal, not ==.
//
// The field must stay a pointer to a string: fmt dereferences a pointer to a slice,
// array, struct or map when it reports a bad verb, even in an unexported field, but
// prints a pointer to a string as an address.
type Email struct{ p *string }

// NewEmail normalizes s with NormalizeEmail and wraps the result.
func NewEmail(s string) (Email, error) {
	n, err := NormalizeEmail(s)
	if err != nil {
		return Email{}, err
	}
	return Email{p: &n}, nil
}

// Reveal returns the normalized address, or "" for the zero Email. It is the one way
// to read the value: call it only where the address is needed (sealing, indexing,
// sending mail, a page whose viewer may see it), so every use is easy to find.
func (e Email) Reveal() string {
	if e.p == nil {
		return ""
	}
	return *e.p
}

// IsZero reports whether e holds no address.
func (e Email) IsZero() bool { return e.p == nil }

// Equal reports whether e and o hold the same address (two zero Emails are equal).
func (e Email) Equal(o Email) bool { return e.Reveal() == o.Reveal() && e.IsZero() == o.IsZero() }

// String returns the mask.
func (e Email) String() string { return emailMask }

// GoString returns the mask, for %#v.
func (e Email) GoString() string { return emailMask }

// Format writes the mask for every verb and flag, so %v, %+v, %#v, %s, %q, %x and the
// rest never show the address.
func (e Email) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, emailMask) }

// LogValue returns the mask, for log/slog.
func (e Email) LogValue() slog.Value { return slog.StringValue(emailMask) }

// MarshalJSON returns the mask as a JSON string.
func (e Email) MarshalJSON() ([]byte, error) { return []byte(`"` + emailMask + `"`), nil }

// MarshalText returns the mask.
func (e Email) MarshalText() ([]byte, error) { return []byte(emailMask), nil }

// GobEncode refuses: an Email is not to be serialized in the clear.
func (e Email) GobEncode() ([]byte, error) {
	return nil, errors.New("pii: an Email cannot be gob-encoded; seal it with Sealer.Seal")
}

// Value refuses, so an unsealed Email cannot be written to a database column.
func (e Email) Value() (driver.Value, error) {
	return nil, errors.New("pii: an Email cannot be stored as is; store Sealer.Seal and Sealer.Index of it")
}
