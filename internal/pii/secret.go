package pii

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
)

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
