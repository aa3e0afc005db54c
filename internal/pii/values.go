package pii

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
)

// MaxEmailLength is the longest email address NormalizeEmail accepts, in bytes
// (RFC 5321's path limit less the angle brackets).
const MaxEmailLength = 254

// ErrInvalidEmail is the cause of every error returned by NormalizeEmail and NewEmail.
var ErrInvalidEmail = errors.New("pii: invalid email address")

// NormalizeEmail returns the canonical form of an email address, to be used before
// Index and Seal: surrounding white space trimmed and the whole address lower-cased.
// It accepts only a bare addr-spec that net/mail parses back to itself, which refuses
// display names ("Ann <ann@example.com>"), angle brackets, comments and quoted local
// parts; it also refuses invalid UTF-8, line breaks, control characters, an address
// without a dot in its domain, and one longer than MaxEmailLength bytes. The error is
// an errs.Invalid for field "email" wrapping ErrInvalidEmail; it never contains the
// input.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", invalidEmail("Enter an email address like name@example.com.")
	}
	s = strings.ToLower(s)
	switch {
	case s == "":
		return "", invalidEmail("Enter an email address.")
	case len(s) > MaxEmailLength:
		return "", invalidEmail("That email address is too long.")
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", invalidEmail("An email address cannot contain line breaks or control characters.")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return "", invalidEmail("Enter an email address like name@example.com.")
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, "[") {
		return "", invalidEmail("Enter an email address like name@example.com.")
	}
	return s, nil
}

// invalidEmail builds NormalizeEmail's error.
func invalidEmail(public string) error {
	return &errs.Error{Code: errs.Invalid, Public: public, Field: "email", Cause: ErrInvalidEmail}
}

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

// secretMask is what every output path prints for a Secret.
const secretMask = "[secret redacted]"

// Secret holds secret bytes (a password, a TOTP secret, a token) that never leak when
// printed, logged or marshalled: every fmt verb, slog, JSON and text print a constant
// mask, and gob and driver.Valuer refuse it. The bytes sit behind a pointer, so a
// struct holding a Secret in an unexported field and printed with %+v or %#v shows an
// address, never the bytes. Copies of a Secret share its bytes, and Wipe clears them
// for every copy. The zero Secret holds nothing.
//
// The field is a pointer to a pointer on purpose: fmt dereferences a pointer to a
// slice, array, struct or map when it reports a bad verb, even in an unexported field
// (fmt.Sprintf("%s", struct{ s Secret }{...}) would print *[]byte as &[115 51 ...]);
// a pointer to a pointer is printed as an address.
type Secret struct{ p **[]byte }

// NewSecret returns a Secret holding a copy of b; the caller may then clear b.
func NewSecret(b []byte) Secret {
	c := append(make([]byte, 0, len(b)), b...)
	ref := &c
	return Secret{p: &ref}
}

// Reveal returns the secret bytes, or nil for a zero or wiped Secret. It is the one
// way to read the value, and returns the Secret's own storage rather than a copy, so
// that no stray copies are left behind: use it at once (hash, compare, send), do not
// modify or keep it, and Wipe the Secret when done.
func (s Secret) Reveal() []byte {
	if s.p == nil || *s.p == nil {
		return nil
	}
	return **s.p
}

// Wipe overwrites the bytes with zeros and empties the Secret (and every copy of it).
// Wipe on a zero Secret does nothing. Go may have copied the bytes elsewhere (a
// string conversion, a grown slice), so Wipe limits exposure; it cannot guarantee
// that no copy remains in memory.
func (s Secret) Wipe() {
	if s.p == nil || *s.p == nil {
		return
	}
	clear(**s.p)
	*s.p = nil
}

// IsZero reports whether s holds no bytes: the zero Secret, a wiped one, or one made
// from an empty slice.
func (s Secret) IsZero() bool { return len(s.Reveal()) == 0 }

// String returns the mask.
func (s Secret) String() string { return secretMask }

// GoString returns the mask, for %#v.
func (s Secret) GoString() string { return secretMask }

// Format writes the mask for every verb and flag, so %v, %+v, %#v, %s, %q, %x and the
// rest never show the bytes.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, secretMask) }

// LogValue returns the mask, for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(secretMask) }

// MarshalJSON returns the mask as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + secretMask + `"`), nil }

// MarshalText returns the mask.
func (s Secret) MarshalText() ([]byte, error) { return []byte(secretMask), nil }

// GobEncode refuses: a Secret is not to be serialized in the clear.
func (s Secret) GobEncode() ([]byte, error) {
	return nil, errors.New("pii: a Secret cannot be gob-encoded; seal it with Sealer.Seal")
}

// Value refuses, so a Secret cannot be written to a database column as is.
func (s Secret) Value() (driver.Value, error) {
	return nil, errors.New("pii: a Secret cannot be stored as is; seal it or store a hash of it")
}
