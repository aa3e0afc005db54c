package pii

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
)

func TestIndex(t *testing.T) {
	kr, err := ParseKeyring("index " + testKey(1) + "\nseal 1 " + testKey(2))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSealer(kr)
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	a := s.Index("subscriber.email", "ann@example.com")
	if !hex64.MatchString(a) {
		t.Fatalf("Index = %q, want 64 lower-case hex digits", a)
	}
	// A golden value pins the construction: HMAC-SHA256(index key,
	// purpose || 0x00 || value). Changing it would orphan every stored index.
	// The value was computed independently with Python's hmac module.
	const golden = "b5fe34d2baecce0ad89524903aca72e604876857920fb9d52ed36c784878d286"
	if a != golden {
		t.Errorf("Index = %s, want the golden %s", a, golden)
	}
	tests := []struct {
		name           string
		purpose, value string
		same           bool
	}{
		{"same input", "subscriber.email", "ann@example.com", true},
		{"other purpose", "staff.email", "ann@example.com", false},
		{"other value", "subscriber.email", "bob@example.com", false},
		{"boundary moved", "subscriber.emailann@", "example.com", false},
		{"case differs", "subscriber.email", "Ann@example.com", false},
	}
	for _, tt := range tests {
		if got := s.Index(tt.purpose, tt.value); (got == a) != tt.same {
			t.Errorf("%s: Index(%q, %q) == reference is %v, want %v", tt.name, tt.purpose, tt.value, got == a, tt.same)
		}
	}
	// Another Sealer over the same keys, and a ring with an extra seal key, agree.
	if _, err := kr.AddSealKey(); err != nil {
		t.Fatal(err)
	}
	if got := NewSealer(kr).Index("subscriber.email", "ann@example.com"); got != a {
		t.Error("Index is not stable across Sealers and seal key rotation")
	}
	other, _ := newTestSealer(t)
	if other.Index("subscriber.email", "ann@example.com") == a {
		t.Error("Index is the same under another index key")
	}
}

func TestIndexPanicsOnBadPurpose(t *testing.T) {
	s, _ := newTestSealer(t)
	for _, purpose := range []string{"", "a\x00b"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Index(%q, ...) did not panic", purpose)
				}
			}()
			s.Index(purpose, "v")
		}()
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
