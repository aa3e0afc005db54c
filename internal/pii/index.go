package pii

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

// Index returns a blind index of value for equality lookups: HMAC-SHA256 under the
// keyring's index key over purpose, a zero byte and value, as 64 lower-case hex
// digits. Equal (purpose, value) pairs give equal indexes, under every seal key and
// across rotations; different purposes give unrelated indexes, so one column's index
// cannot be matched against another's. Normalize the value first (NormalizeEmail).
//
// The purpose is a constant naming the column, such as "subscriber.email"; Index
// panics when it is empty or contains a zero byte, a programming error that would
// make two different inputs hash alike.
func (s *Sealer) Index(purpose, value string) string {
	if purpose == "" || strings.IndexByte(purpose, 0) >= 0 {
		panic("pii: Index purpose must be non-empty and contain no zero byte")
	}
	m := hmac.New(sha256.New, s.index)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// NormalizeEmail returns the canonical form of an email address, to be used before
// Index and Seal: surrounding white space trimmed and the whole address lower-cased.
// It accepts only a bare addr-spec that net/mail parses back to itself, which refuses
// display names ("Ann <ann@example.com>"), angle brackets, comments and quoted local
// parts; it also refuses invalid UTF-8, line breaks, control characters, an address without a dot
// in its domain, and one longer than MaxEmailLength bytes. The error is an
// errs.Invalid for field "email" wrapping ErrInvalidEmail; it never contains the input.
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
