// Package textfield checks the text people and staff type into forms, one way for every
// domain: valid UTF-8, a length in characters, and no control or bidirectional-override
// characters (a one-line field holds no line break at all, so nothing typed can add a
// mail header or reorder what a reader sees). Every error names its field.
package textfield

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
)

// Line trims a one-line field and checks it: at most max characters, at least one
// unless optional, no control (line breaks and tabs included) or bidi-control characters.
func Line(field, v string, max int, optional bool) (string, error) {
	return check(field, v, max, optional, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) },
		"This field may not contain line breaks or control characters.")
}

// Text trims a multi-line field and checks it like Line, but line breaks and tabs are
// allowed.
func Text(field, v string, max int, optional bool) (string, error) {
	return check(field, v, max, optional, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' || unicode.Is(unicode.Bidi_Control, r)
	}, "This field may not contain control characters.")
}

func check(field, v string, max int, optional bool, bad func(rune) bool, badMsg string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v):
		return "", errs.InvalidField(field, "This field holds characters that are not text.")
	case v == "" && !optional:
		return "", errs.InvalidField(field, "Please fill in this field.")
	case utf8.RuneCountInString(v) > max:
		return "", errs.InvalidField(field, fmt.Sprintf("This field may have at most %d characters.", max))
	case strings.ContainsFunc(v, bad):
		return "", errs.InvalidField(field, badMsg)
	}
	return v, nil
}

// Reorders reports whether r is a bidirectional embedding, override or isolate
// (U+202A–U+202E, U+2066–U+2069): a character that makes a reader see text in another
// order than it was written. The plain marks (U+200E, U+200F, U+061C) do not reorder
// text and are left to free text, where right-to-left writers use them.
func Reorders(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// ShowReordering replaces every character Reorders reports by its code point in
// brackets ("[U+202E]"), for text that cannot be refused (a mail already received).
func ShowReordering(s string) string {
	if !strings.ContainsFunc(s, Reorders) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if Reorders(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
