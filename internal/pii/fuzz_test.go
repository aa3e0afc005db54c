package pii

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParseKeyring(f *testing.F) {
	k1, k2 := testKey(1), testKey(2)
	f.Add("index " + k1 + "\nseal 1 " + k2 + "\n")
	f.Add("# c\r\nseal 3 " + k2 + "\r\nindex " + k1)
	f.Add("index " + k1 + "\nseal 01 " + k2)
	f.Add("index " + k1 + "\nseal 1 " + k1)
	f.Add("seal 2147483647 " + k2 + "\nindex " + k1)
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		kr, err := ParseKeyring(text)
		if err != nil {
			assertNoKeyMaterial(t, err.Error(), text)
			return
		}
		// Whatever parses round-trips through Text and makes a working Sealer.
		back, err := ParseKeyring(kr.Text())
		if err != nil {
			t.Fatalf("ParseKeyring(Text()) failed: %v", err)
		}
		if back.Text() != kr.Text() {
			t.Fatal("Text is not stable across a round trip")
		}
		s := NewSealer(kr)
		sealed, err := s.SealString("fuzz", "x")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.OpenString("fuzz", sealed); err != nil || got != "x" {
			t.Fatalf("round trip under a parsed keyring: %q, %v", got, err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	kr, err := ParseKeyring("index " + testKey(1) + "\nseal 1 " + testKey(2) + "\nseal 2 " + testKey(3))
	if err != nil {
		f.Fatal(err)
	}
	s := NewSealer(kr)
	good, _ := s.SealString("ctx", "payload")
	f.Add("ctx", good)
	f.Add("ctx", "v1.1."+good[5:])
	f.Add("ctx", "v1.9.AAAA")
	f.Add("", good)
	f.Add("ctx", "v1.1.")
	f.Add("ctx", "v1..")
	f.Add("ctx", "v1.2."+strings.Repeat("A", 38))
	f.Fuzz(func(t *testing.T, context, sealed string) {
		pt, err := s.Open(context, sealed)
		if err == nil {
			// Only a genuine value under its own context opens.
			if context != "ctx" || string(pt) != "payload" {
				t.Fatalf("Open(%q, %q) = %q: forged value accepted", context, sealed, pt)
			}
			return
		}
		if pt != nil {
			t.Fatal("Open returned plaintext with an error")
		}
		known := []error{ErrMalformed, ErrUnknownKey, ErrAuth, ErrNoContext}
		if !slicesContainsErr(known, err) {
			t.Fatalf("Open error %v is not one of the documented errors", err)
		}
		id, kerr := KeyIDOf(sealed)
		if kerr == nil && (id < 1 || s.NeedsReseal(sealed) != (id != kr.NewestID())) {
			t.Fatalf("KeyIDOf/NeedsReseal disagree for %q", sealed)
		}
	})
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"ann@example.com", " Ann@Example.COM ", "Ann <ann@example.com>", `"a b"@example.com`, "a@[1.2.3.4]", "ÄÖ@example.de", "a\r\n@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := NormalizeEmail(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidEmail) {
				t.Fatalf("error %v does not wrap ErrInvalidEmail", err)
			}
			return
		}
		if len(n) > MaxEmailLength || strings.ContainsAny(n, "\r\n<> ") {
			t.Fatalf("NormalizeEmail(%q) = %q: not a bare, bounded address", in, n)
		}
		if again, err := NormalizeEmail(n); err != nil || again != n {
			t.Fatalf("NormalizeEmail not idempotent: %q -> %q -> %q, %v", in, n, again, err)
		}
	})
}

// slicesContainsErr reports whether err wraps one of targets.
func slicesContainsErr(targets []error, err error) bool {
	for _, target := range targets {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
