package pii

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
)

func TestEmail(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"Ann@Example.com", "ann@example.com", false},
		{" bob@example.org\n", "bob@example.org", false},
		{"Ann <ann@example.com>", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		e, err := NewEmail(tt.in)
		if tt.wantErr {
			if err == nil || !errors.Is(err, ErrInvalidEmail) || !e.IsZero() {
				t.Errorf("NewEmail(%q) = zero %v, %v; want a zero Email and ErrInvalidEmail", tt.in, e.IsZero(), err)
			}
			continue
		}
		if err != nil || e.IsZero() || e.Reveal() != tt.want {
			t.Errorf("NewEmail(%q): Reveal %q, zero %v, err %v; want %q", tt.in, e.Reveal(), e.IsZero(), err, tt.want)
		}
	}

	var zero Email
	if !zero.IsZero() || zero.Reveal() != "" || zero.String() != emailMask {
		t.Error("zero Email: want IsZero, empty Reveal, masked String")
	}
	a1, _ := NewEmail("ann@example.com")
	a2, _ := NewEmail("ANN@example.com")
	b, _ := NewEmail("bob@example.com")
	if !a1.Equal(a2) || a1.Equal(b) || a1.Equal(zero) || !zero.Equal(Email{}) {
		t.Error("Equal compares the wrong thing")
	}
}

func TestSecret(t *testing.T) {
	src := []byte("hunter2")
	s := NewSecret(src)
	clear(src)
	if got := s.Reveal(); string(got) != "hunter2" {
		t.Fatalf("Reveal after clearing the source = %q; NewSecret must copy", got)
	}
	if s.IsZero() {
		t.Error("IsZero true for a filled Secret")
	}
	revealed := s.Reveal()
	alias := s // copies share the bytes
	alias.Wipe()
	if !bytes.Equal(revealed, make([]byte, len("hunter2"))) {
		t.Errorf("Wipe left %q in the storage Reveal returned", revealed)
	}
	if s.Reveal() != nil || !s.IsZero() {
		t.Error("Wipe through a copy did not empty the original")
	}
	s.Wipe() // a second Wipe is harmless

	tests := []struct {
		name string
		s    Secret
		zero bool
	}{
		{"zero value", Secret{}, true},
		{"empty", NewSecret(nil), true},
		{"one byte", NewSecret([]byte{0}), false},
	}
	for _, tt := range tests {
		if got := tt.s.IsZero(); got != tt.zero {
			t.Errorf("%s: IsZero = %v, want %v", tt.name, got, tt.zero)
		}
		tt.s.Wipe()
		if !tt.s.IsZero() || tt.s.String() != secretMask {
			t.Errorf("%s: after Wipe, IsZero false or String not masked", tt.name)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string // want "" means an error
	}{
		{"ann@example.com", "ann@example.com"},
		{"  Ann.Lee+news@Example.COM \n", "ann.lee+news@example.com"},
		{"\tBOB@EXAMPLE.ORG", "bob@example.org"},
		{"o'neil@example.co.uk", "o'neil@example.co.uk"},
		{"jöran@exämple.de", "jöran@exämple.de"},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com"},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", ""}, // 255 bytes
		{"", ""},
		{"   ", ""},
		{"ann", ""},
		{"ann@", ""},
		{"@example.com", ""},
		{"ann@example", ""},
		{"ann@@example.com", ""},
		{"ann@example..com", ""},
		{".ann@example.com", ""},
		{"ann@[192.0.2.1]", ""},
		{"Ann <ann@example.com>", ""},
		{"<ann@example.com>", ""},
		{"ann@example.com (Ann)", ""},
		{`"ann lee"@example.com`, ""},
		{"ann@example.com, bob@example.com", ""},
		{"ann@exa\r\nmple.com", ""},
		{"ann\n@example.com", ""},
		{"ann@example.com\r\nBcc: eve@example.com", ""},
		{"ann\x00@example.com", ""},
		{"ann@exa mple.com", ""},
		{"ann\xff@example.com", ""},
	}
	echo := regexp.MustCompile(`ann@|Ann|ann |192\.0|eve@|bob@|exa |exa\r|\.ann|\.co\.uk`)
	for _, tt := range tests {
		got, err := NormalizeEmail(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("NormalizeEmail(%q) = %q, want an error", tt.in, got)
				continue
			}
			if !errors.Is(err, ErrInvalidEmail) || !errs.Is(err, errs.Invalid) {
				t.Errorf("NormalizeEmail(%q) error %v: want errs.Invalid wrapping ErrInvalidEmail", tt.in, err)
			}
			if echo.MatchString(err.Error()) {
				t.Errorf("NormalizeEmail(%q) error %q echoes the input", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if again, err := NormalizeEmail(got); err != nil || again != got {
			t.Errorf("NormalizeEmail is not idempotent on %q: %q, %v", got, again, err)
		}
	}
}
