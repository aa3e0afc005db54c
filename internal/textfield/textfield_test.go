package textfield

import (
	"errors"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
)

func TestLineAndText(t *testing.T) {
	for _, tc := range []struct {
		in       string
		line     bool // accepted by Line
		text     bool // accepted by Text
		optional bool
	}{
		{"  Ada Love  ", true, true, false},
		{"", false, false, false},
		{"", true, true, true},
		{"two\nlines", false, true, false},
		{"tab\there", false, true, false},
		{"bell\a", false, false, false},
		{"evil\u202Eeman", false, false, false},
		{"\xff", false, false, false},
		{strings.Repeat("é", 10), true, true, false},
		{strings.Repeat("é", 11), false, false, false},
	} {
		_, lerr := Line("f", tc.in, 10, tc.optional)
		_, terr := Text("f", tc.in, 10, tc.optional)
		if (lerr == nil) != tc.line || (terr == nil) != tc.text {
			t.Errorf("%q: Line %v, Text %v; want accepted %v, %v", tc.in, lerr, terr, tc.line, tc.text)
		}
		for _, err := range []error{lerr, terr} {
			var e *errs.Error
			if err != nil && (!errors.As(err, &e) || e.Field != "f") {
				t.Errorf("%q: %v does not name its field", tc.in, err)
			}
		}
	}
	if v, _ := Line("f", "  x  ", 10, false); v != "x" {
		t.Errorf("not trimmed: %q", v)
	}
}

func TestReordering(t *testing.T) {
	if got := ShowReordering("a\u202Eb\u2066c\u200Fd"); got != "a[U+202E]b[U+2066]c\u200Fd" {
		t.Errorf("ShowReordering: %q", got)
	}
	for _, r := range []rune{0x202A, 0x202E, 0x2066, 0x2069} {
		if !Reorders(r) {
			t.Errorf("%U does not count as reordering", r)
		}
	}
}
