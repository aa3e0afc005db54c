package licence

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"
)

// testKey is a fixed signing key, so that keys in examples and tests are stable
// (Ed25519 signatures are deterministic).
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

var (
	issued = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now    = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

func sample() Licence {
	return Licence{ID: "ORD-2026-0042", Product: "acme-editor", Edition: "pro", Seats: 5,
		Issued: issued, Expires: issued.AddDate(1, 0, 0)}
}

func mustSign(t testing.TB, priv ed25519.PrivateKey, l Licence) string {
	t.Helper()
	key, err := Sign(priv, l)
	if err != nil {
		t.Fatalf("Sign(%+v): %v", l, err)
	}
	return key
}

func TestRoundTrip(t *testing.T) {
	priv := testKey(1)
	pub := priv.Public().(ed25519.PublicKey)
	longest := Licence{ID: strings.Repeat("i", MaxIDLen), Product: strings.Repeat("p", MaxProductLen),
		Edition: strings.Repeat("e", MaxEditionLen), Seats: MaxSeats, Issued: time.Unix(maxUnix-1, 0), Expires: time.Unix(maxUnix, 0)}
	berlin := time.FixedZone("CET", 3600)
	for name, l := range map[string]Licence{
		"sample":    sample(),
		"perpetual": {ID: "x", Product: "y", Issued: issued},
		"longest":   longest,
		"zone and nanoseconds": {ID: "z", Product: "p", Issued: issued.In(berlin).Add(999 * time.Millisecond),
			Expires: issued.In(berlin).AddDate(0, 6, 0).Add(time.Nanosecond)},
	} {
		t.Run(name, func(t *testing.T) {
			key := mustSign(t, priv, l)
			if !strings.HasPrefix(key, "CANDOR1-") || len(key) > 500 {
				t.Fatalf("key %q", key)
			}
			got, err := Verify(pub, key, now)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if want := l.normalize(); got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if got.Issued.Location() != time.UTC || got.Perpetual() != l.Expires.IsZero() {
				t.Errorf("times not UTC or Perpetual wrong: %+v", got)
			}
			// Lower case, no dashes, wrapped lines and Crockford aliases read the same.
			loose := strings.ToLower(strings.ReplaceAll(key[len(KeyPrefix):], "-", ""))
			loose = "candor1 " + strings.NewReplacer("0", "o", "1", "l").Replace(loose[:20]) + "\r\n  " + loose[20:] + "\n"
			if again, err := Verify(pub, loose, now); err != nil || again != got {
				t.Errorf("loose form %q: %+v, %v", loose, again, err)
			}
		})
	}
}

func TestVerifyErrors(t *testing.T) {
	priv := testKey(1)
	pub := priv.Public().(ed25519.PublicKey)
	key := mustSign(t, priv, sample())
	expiredKey := mustSign(t, priv, Licence{ID: "old", Product: "acme-editor", Issued: issued.AddDate(-2, 0, 0), Expires: issued.AddDate(-1, 0, 0)})
	other := mustSign(t, testKey(2), sample())
	raw, _ := decodeText(key, KeyPrefix, 1000)
	for _, tc := range []struct {
		name, key string
		want      error
	}{
		{"empty", "", ErrMalformed},
		{"prefix only", "CANDOR1-", ErrMalformed},
		{"wrong prefix", "CANDOR2" + key[7:], ErrMalformed},
		{"foreign character", key[:20] + "U" + key[21:], ErrMalformed},
		{"punctuation", key[:20] + "." + key[21:], ErrMalformed},
		{"trailing garbage", key + " extra", ErrMalformed},
		{"one character more", key + "0", ErrMalformed},
		{"one character less", key[:len(key)-1], ErrMalformed},
		{"last group missing", key[:strings.LastIndex(key, "-")], ErrMalformed},
		{"too long", key + strings.Repeat("-0000000", 2), ErrMalformed},
		{"huge", strings.Repeat("0", 1<<20), ErrMalformed},
		{"unknown version", encodeText(KeyPrefix, append([]byte{2}, raw[1:]...), true), ErrMalformed},
		{"version 0", encodeText(KeyPrefix, append([]byte{0}, raw[1:]...), true), ErrMalformed},
		{"signature cut", encodeText(KeyPrefix, raw[:len(raw)-1], true), ErrMalformed},
		{"ID length altered", encodeText(KeyPrefix, alter(raw, 21, 1), true), ErrMalformed},
		{"seats altered", encodeText(KeyPrefix, alter(raw, 20, 1), true), ErrSignature},
		{"other signing key", other, ErrSignature},
		{"expired", expiredKey, ErrExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := Verify(pub, tc.key, now)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify: %v, want %v", err, tc.want)
			}
			if n := countSentinels(err); n != 1 {
				t.Errorf("error %v wraps %d sentinels", err, n)
			}
			if (tc.want == ErrExpired) != (l != Licence{}) {
				t.Errorf("licence %+v returned with %v", l, err)
			}
		})
	}
	if l, err := Verify(pub, expiredKey, issued.AddDate(-1, 0, 0).Add(-time.Second)); err != nil || l.ID != "old" {
		t.Errorf("a second before it expires: %+v, %v", l, err)
	}
	if _, err := Verify(pub[:31], key, now); err == nil {
		t.Error("a short public key was accepted")
	}
}

// alter returns a copy of raw with the byte at i increased by d.
func alter(raw []byte, i int, d byte) []byte {
	out := bytes.Clone(raw)
	out[i] += d
	return out
}

func countSentinels(err error) (n int) {
	for _, s := range []error{ErrMalformed, ErrSignature, ErrExpired} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n
}

func TestSignLimits(t *testing.T) {
	priv := testKey(1)
	for name, edit := range map[string]func(*Licence){
		"empty ID":           func(l *Licence) { l.ID = "" },
		"long ID":            func(l *Licence) { l.ID = strings.Repeat("x", MaxIDLen+1) },
		"empty product":      func(l *Licence) { l.Product = "" },
		"long product":       func(l *Licence) { l.Product = strings.Repeat("x", MaxProductLen+1) },
		"long edition":       func(l *Licence) { l.Edition = strings.Repeat("x", MaxEditionLen+1) },
		"control character":  func(l *Licence) { l.ID = "a\nb" },
		"non-ASCII":          func(l *Licence) { l.Product = "éditeur" },
		"negative seats":     func(l *Licence) { l.Seats = -1 },
		"too many seats":     func(l *Licence) { l.Seats = MaxSeats + 1 },
		"no issue date":      func(l *Licence) { l.Issued = time.Time{} },
		"issued before 1970": func(l *Licence) { l.Issued = time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC) },
		"expires year 10000": func(l *Licence) { l.Expires = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"expires at issue":   func(l *Licence) { l.Expires = l.Issued },
		"expires before":     func(l *Licence) { l.Expires = l.Issued.Add(-time.Hour) },
		"same second":        func(l *Licence) { l.Expires = l.Issued.Add(500 * time.Millisecond) },
	} {
		l := sample()
		edit(&l)
		if key, err := Sign(priv, l); err == nil {
			t.Errorf("%s: signed %q", name, key)
		}
	}
	if _, err := Sign(priv[:32], sample()); err == nil {
		t.Error("a short signing key was accepted")
	}
}

// TestEveryBitFlip alters each bit of the signed bytes in turn and each character of
// the text: none of them may verify.
func TestEveryBitFlip(t *testing.T) {
	priv := testKey(1)
	pub := priv.Public().(ed25519.PublicKey)
	for _, l := range []Licence{sample(), {ID: "p", Product: "q", Issued: issued}} {
		key := mustSign(t, priv, l)
		raw, err := decodeText(key, KeyPrefix, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for bit := range len(raw) * 8 {
			mutated := bytes.Clone(raw)
			mutated[bit/8] ^= 1 << (bit % 8)
			if got, err := Verify(pub, encodeText(KeyPrefix, mutated, true), now); err == nil || errors.Is(err, ErrExpired) {
				t.Fatalf("bit %d flipped: accepted %+v", bit, got)
			}
		}
		for i := len(KeyPrefix); i < len(key); i++ {
			for _, c := range alphabet + "-" {
				if byte(c) == key[i] {
					continue
				}
				mutated := key[:i] + string(c) + key[i+1:]
				if _, err := Verify(pub, mutated, now); err == nil {
					t.Fatalf("character %d changed to %c: accepted %s", i, c, mutated)
				}
			}
		}
	}
}

func TestPublicKeyText(t *testing.T) {
	pub := testKey(1).Public().(ed25519.PublicKey)
	s := FormatPublicKey(pub)
	if !strings.HasPrefix(s, "CANDORPK1-") || len(s) != len("CANDORPK1-")+52 {
		t.Fatalf("FormatPublicKey = %q", s)
	}
	for _, in := range []string{s, strings.ToLower(s), "  " + s + "\n", s[:20] + "-" + s[20:]} {
		if got, err := ParsePublicKey(in); err != nil || !got.Equal(pub) {
			t.Errorf("ParsePublicKey(%q) = %x, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", s[:len(s)-1], s + "0", "CANDOR1" + s[9:], s[:len(s)-1] + "1", s + "=", "CANDORPK1-" + strings.Repeat("0", 51) + "Z"} {
		if _, err := ParsePublicKey(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParsePublicKey(%q): %v, want ErrMalformed", bad, err)
		}
	}
}
