package pii

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// newTestSealer returns a Sealer over a fresh keyring, and the keyring.
func newTestSealer(t testing.TB) (*Sealer, *Keyring) {
	t.Helper()
	kr, err := GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	return NewSealer(kr), kr
}

func TestSealOpenRoundTrip(t *testing.T) {
	s, _ := newTestSealer(t)
	for _, pt := range []string{"", "ann@example.com", "Ünïcødé ✓", strings.Repeat("x", 100_000), "\x00\xff"} {
		sealed, err := s.SealString("staff.email", pt)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sealed, "v1.1.") {
			t.Errorf("sealed value %.20q lacks prefix v1.1.", sealed)
		}
		if len(pt) > 4 && strings.Contains(sealed, pt) {
			t.Error("sealed value contains the plaintext")
		}
		got, err := s.OpenString("staff.email", sealed)
		if err != nil || got != pt {
			t.Errorf("OpenString = %.20q, %v; want %.20q", got, err, pt)
		}
		again, _ := s.SealString("staff.email", pt)
		if again == sealed {
			t.Error("two seals of the same plaintext are equal (nonce reuse)")
		}
	}
}

func TestRotation(t *testing.T) {
	kr, err := GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	s1 := NewSealer(kr)
	old, err := s1.Seal("contact.body", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if id, err := KeyIDOf(old); id != 1 || err != nil {
		t.Fatalf("KeyIDOf(old) = %d, %v; want 1", id, err)
	}
	if s1.NeedsReseal(old) {
		t.Error("NeedsReseal true for a value under the newest key")
	}

	if id, err := kr.AddSealKey(); id != 2 || err != nil {
		t.Fatalf("AddSealKey = %d, %v; want 2", id, err)
	}
	if s1.NeedsReseal(old) {
		t.Error("AddSealKey changed an existing Sealer (it must hold a snapshot)")
	}
	s2 := NewSealer(kr)
	fresh, _ := s2.Seal("contact.body", []byte("new"))
	if id, _ := KeyIDOf(fresh); id != 2 {
		t.Errorf("new seal uses key %d, want 2", id)
	}
	if got, err := s2.Open("contact.body", old); err != nil || string(got) != "hello" {
		t.Errorf("old value after rotation: %q, %v", got, err)
	}
	if !s2.NeedsReseal(old) || s2.NeedsReseal(fresh) {
		t.Error("NeedsReseal: want true for key 1, false for key 2")
	}
	resealed, err := s2.Reseal("contact.body", old)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := KeyIDOf(resealed); id != 2 {
		t.Errorf("Reseal used key %d, want 2", id)
	}
	if got, _ := s2.OpenString("contact.body", resealed); got != "hello" {
		t.Errorf("resealed value opens to %q", got)
	}
	if _, err := s2.Reseal("other.column", old); !errors.Is(err, ErrAuth) {
		t.Errorf("Reseal with the wrong context: %v, want ErrAuth", err)
	}
	// An instance that has not got key 2 yet refuses, rather than misreads.
	if _, err := s1.Open("contact.body", fresh); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old Sealer opening a key-2 value: %v, want ErrUnknownKey", err)
	}
	if s1.Index("p", "v") != s2.Index("p", "v") {
		t.Error("Index changed with seal key rotation")
	}
}

func TestOpenErrors(t *testing.T) {
	s, _ := newTestSealer(t)
	const secret = "ann@example.com"
	good, _ := s.SealString("staff.email", secret)
	other, _ := newTestSealer(t)
	foreign, _ := other.SealString("staff.email", secret)
	payload := good[len("v1.1."):]
	raw, _ := b64.DecodeString(payload)
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return "v1.1." + b64.EncodeToString(b)
	}
	tests := []struct {
		name, context, sealed string
		want                  error
	}{
		{"wrong context", "subscriber.email", good, ErrAuth},
		{"context prefix", "staff.emai", good, ErrAuth},
		{"empty context", "", good, ErrNoContext},
		{"other keyring, same id", "staff.email", foreign, ErrAuth},
		{"tampered nonce", "staff.email", flip(0), ErrAuth},
		{"tampered ciphertext", "staff.email", flip(14), ErrAuth},
		{"tampered tag", "staff.email", flip(len(raw) - 1), ErrAuth},
		{"truncated", "staff.email", "v1.1." + b64.EncodeToString(raw[:len(raw)-1]), ErrAuth},
		{"too short", "staff.email", "v1.1." + b64.EncodeToString(raw[:27]), ErrMalformed},
		{"unknown key id", "staff.email", "v1.7." + payload, ErrUnknownKey},
		{"version", "staff.email", "v2" + good[2:], ErrMalformed},
		{"zero id", "staff.email", "v1.0." + payload, ErrMalformed},
		{"leading zero id", "staff.email", "v1.01." + payload, ErrMalformed},
		{"padded", "staff.email", good + "=", ErrMalformed},
		{"std base64", "staff.email", "v1.1." + strings.NewReplacer("-", "+", "_", "/").Replace(payload) + "+/", ErrMalformed},
		{"extra dot", "staff.email", good + ".x", ErrMalformed},
		{"no payload", "staff.email", "v1.1.", ErrMalformed},
		{"empty", "staff.email", "", ErrMalformed},
		{"plaintext", "staff.email", secret, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Open(tt.context, tt.sealed)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %q, %v; want %v", got, err, tt.want)
			}
			if got != nil {
				t.Errorf("Open returned %q with an error", got)
			}
			if strings.Contains(err.Error(), "ann") || strings.Contains(err.Error(), payload[:8]) {
				t.Errorf("error %q leaks plaintext or ciphertext", err)
			}
		})
	}
	if _, err := s.Seal("", []byte("x")); !errors.Is(err, ErrNoContext) {
		t.Errorf("Seal with empty context: %v, want ErrNoContext", err)
	}
}

func TestKeyIDOfAndNeedsReseal(t *testing.T) {
	s, _ := newTestSealer(t)
	tests := []struct {
		sealed string
		id     int
		ok     bool
		needs  bool
	}{
		{"v1.1.AAAA", 1, true, false},
		{"v1.42.AAAA", 42, true, true},
		{"v1.2147483647.x", 2147483647, true, true},
		{"v1.2147483648.x", 0, false, false},
		{"v1.-1.AAAA", 0, false, false},
		{"v1..AAAA", 0, false, false},
		{"v1.1", 0, false, false},
		{"garbage", 0, false, false},
	}
	for _, tt := range tests {
		id, err := KeyIDOf(tt.sealed)
		if id != tt.id || (err == nil) != tt.ok {
			t.Errorf("KeyIDOf(%q) = %d, %v; want %d ok=%v", tt.sealed, id, err, tt.id, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Errorf("KeyIDOf(%q) error %v is not ErrMalformed", tt.sealed, err)
		}
		if got := s.NeedsReseal(tt.sealed); got != tt.needs {
			t.Errorf("NeedsReseal(%q) = %v, want %v", tt.sealed, got, tt.needs)
		}
	}
}

func TestNewSealerPanicsOnEmptyKeyring(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewSealer(&Keyring{}) did not panic")
		}
	}()
	NewSealer(&Keyring{})
}

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
