package licence

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds Verify arbitrary text. It must never panic, every error must wrap
// exactly one sentinel, and it may accept (or call expired) only a text that decodes
// to exactly the bytes of one of the keys signed here: no mutation forges a key.
func FuzzVerify(f *testing.F) {
	priv := testKey(3)
	pub := priv.Public().(ed25519.PublicKey)
	signed := map[string]Licence{}
	for _, l := range []Licence{
		sample(),
		{ID: "p", Product: "q", Issued: issued},
		{ID: "old", Product: "r", Edition: "e", Seats: 1, Issued: issued.AddDate(-2, 0, 0), Expires: issued.AddDate(-1, 0, 0)},
	} {
		key := mustSign(f, priv, l)
		raw, err := decodeText(key, KeyPrefix, 1000)
		if err != nil {
			f.Fatal(err)
		}
		signed[string(raw)] = l.normalize()
		f.Add(key)
		f.Add(strings.ToLower(key))
		f.Add(key[:len(key)-3])
		f.Add(strings.ReplaceAll(key, "-", " "))
	}
	f.Add("")
	f.Add("CANDOR1-")
	f.Add("CANDOR1-04000-00000")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := Verify(pub, s, now)
		if err != nil && countSentinels(err) != 1 {
			t.Fatalf("error %v wraps %d sentinels", err, countSentinels(err))
		}
		if err != nil && !errors.Is(err, ErrExpired) {
			if l != (Licence{}) {
				t.Fatalf("licence %+v returned with %v", l, err)
			}
			return
		}
		raw, derr := decodeText(s, KeyPrefix, 1000)
		want, ok := signed[string(raw)]
		if derr != nil || !ok {
			t.Fatalf("accepted a text that is none of the signed keys: %q (%v)", s, err)
		}
		if l != want {
			t.Fatalf("got %+v, signed %+v", l, want)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	priv := testKey(1)
	l := sample()
	for b.Loop() {
		if _, err := Sign(priv, l); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signatures/s")
}

func BenchmarkVerify(b *testing.B) {
	priv := testKey(1)
	pub := priv.Public().(ed25519.PublicKey)
	key := mustSign(b, priv, sample())
	t := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, err := Verify(pub, key, t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}
