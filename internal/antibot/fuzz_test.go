package antibot

import (
	"strings"
	"testing"
	"time"
)

// FuzzTimeToken: the time-token parser never panics, and accepts nothing but tokens
// it issued (a fuzzer cannot forge a 128-bit tag).
func FuzzTimeToken(f *testing.F) {
	g, _ := newTestGuard(f, Config{})
	c, _ := g.Issue(FormContact)
	for _, s := range []string{c.TimeToken, c.PoW, "", "A", strings.Repeat("A", 35), c.TimeToken[:34] + "=", "AQBU" + c.TimeToken[4:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		_, err := g.sign.parseTimeToken(FormContact, token)
		if err == nil && token != c.TimeToken {
			t.Fatalf("accepted a token it did not issue: %q", token)
		}
	})
}

// FuzzChallenge: the challenge parsers (the server's, and Solve's unauthenticated
// reader) never panic, and the server accepts only challenges it issued.
func FuzzChallenge(f *testing.F) {
	g, _ := newTestGuard(f, Config{})
	c, _ := g.Issue(FormContact)
	for _, s := range []string{c.PoW, c.TimeToken, "", strings.Repeat("_", 58), c.PoW[:57] + "B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if _, err := g.sign.parseChallenge(FormContact, token); err == nil && token != c.PoW {
			t.Fatalf("accepted a challenge it did not issue: %q", token)
		}
		if rc, err := readChallenge(token); err == nil && (rc.difficulty < 1 || rc.difficulty > MaxDifficulty) {
			t.Fatalf("readChallenge let difficulty %d through", rc.difficulty)
		}
	})
}

// FuzzCheck: Check never panics on any submission, and never accepts one without a
// valid proof-of-work (the fuzzer's own inputs cannot carry one).
func FuzzCheck(f *testing.F) {
	g, clk := newTestGuard(f, Config{IPBurst: 1 << 30, AddressBurst: 1 << 30})
	c, s := issue(f, g, FormContact)
	clk.advance(3 * time.Second)
	f.Add("contact", "", c.TimeToken, c.PoW, "0", "192.0.2.1", "key", "hello")
	f.Add("contact", "x", "", "", "", "", "", "")
	f.Add("", "", c.PoW, c.TimeToken, s.Nonce, "::1", "", "https://bit.ly/x")
	f.Fuzz(func(t *testing.T, form, hp, tt, ch, nonce, ip, addr, text string) {
		v := g.Check(ctx, Submission{FormID: form, Honeypot: hp, TimeToken: tt, Challenge: ch, Nonce: nonce, ClientIP: ip, AddressKey: addr, Text: []string{text}})
		if v.Outcome == "" {
			t.Fatal("empty outcome")
		}
		if v.Outcome == Accept && ch != c.PoW {
			t.Fatalf("accepted without a challenge this guard issued: %v", v)
		}
	})
}

// FuzzScore: the heuristics never panic and stay within the table's bounds.
func FuzzScore(f *testing.F) {
	for _, s := range []string{"", "bit.ly/x", "https://a https://b", "vіagra", "AAAAAAAAAAAAAAAAAAAAAAAA", "\xff\xfe", "[url=x]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		score, signals := Score(text)
		if score < 0 || score > 4+3+2+3+6+2+2+1 || (score == 0) != (len(signals) == 0) {
			t.Fatalf("Score = %d %v", score, signals)
		}
	})
}
