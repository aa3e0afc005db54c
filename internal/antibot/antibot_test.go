package antibot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

var ctx = context.Background()

// TestCheck runs each defence on a submission that is valid except for one thing.
func TestCheck(t *testing.T) {
	type tc struct {
		name   string
		wait   time.Duration                                  // between Issue and Check
		edit   func(t *testing.T, c Challenge, s *Submission) // the one thing wrong
		want   Outcome
		reason Reason
	}
	cases := []tc{
		{"valid", 5 * time.Second, nil, Accept, ReasonNone},
		{"honeypot filled", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Honeypot = "https://spam.example" }, Honeypot, ReasonHoneypot},
		{"honeypot only spaces", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Honeypot = " " }, Honeypot, ReasonHoneypot},

		// Time trap.
		{"time too fast", 1500 * time.Millisecond, nil, Reject, ReasonTimeTooFast},
		{"time at once", 0, nil, Reject, ReasonTimeTooFast},
		{"time just old enough", 2 * time.Second, nil, Accept, ReasonNone},
		{"time expired", 2*time.Hour + time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Challenge, s.Nonce = "", "" }, Reject, ReasonTimeExpired},
		{"time forged tag", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.TimeToken = flipLast(s.TimeToken) }, Reject, ReasonTimeForged},
		{"time backdated", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) {
			s.TimeToken = reseal(t, s.TimeToken, func(b []byte) { setMillis(b, time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)) })
		}, Reject, ReasonTimeForged},
		{"time token of another form", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.FormID = FormSubscribe; s.Challenge = "" }, Reject, ReasonTimeForged},
		{"time malformed text", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.TimeToken = "1700000000" }, Reject, ReasonTimeBad},
		{"time malformed base64", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.TimeToken = strings.Repeat("*", len(c.TimeToken)) }, Reject, ReasonTimeBad},
		{"time is a challenge", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.TimeToken = c.PoW }, Reject, ReasonTimeBad},
		{"time wrong kind byte", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) {
			s.TimeToken = reseal(t, s.TimeToken, func(b []byte) { b[1] = kindPoW })
		}, Reject, ReasonTimeBad},
		{"time missing", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.TimeToken = "" }, NeedsReview, ReasonTimeMissing},

		// Proof-of-work.
		{"pow missing (no JavaScript)", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Challenge, s.Nonce = "", "" }, NeedsReview, ReasonPoWMissing},
		{"nothing at all (static page, no JavaScript)", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { *s = Submission{FormID: s.FormID} }, NeedsReview, ReasonTimeMissing},
		{"pow unsolved", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Nonce = "" }, NeedsReview, ReasonPoWUnsolved},
		{"pow wrong", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Nonce = wrongNonce(t, c.PoW, c.Difficulty) }, Reject, ReasonPoWWrong},
		{"pow nonce malformed", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Nonce = "12:34" }, Reject, ReasonPoWBad},
		{"pow nonce too long", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Nonce = strings.Repeat("1", 33) }, Reject, ReasonPoWBad},
		{"pow expired", 2*time.Hour + time.Second, func(t *testing.T, c Challenge, s *Submission) { s.TimeToken = "" }, Reject, ReasonPoWExpired},
		{"pow difficulty tampered", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) {
			s.Challenge = reseal(t, s.Challenge, func(b []byte) { b[10] = 1 })
			s.Nonce, _ = Solve(s.Challenge)
		}, Reject, ReasonPoWForged},
		{"pow expiry extended", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) {
			s.Challenge = reseal(t, s.Challenge, func(b []byte) { setMillis(b, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) })
			s.Nonce, _ = Solve(s.Challenge)
		}, Reject, ReasonPoWForged},
		{"pow of another form", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.FormID = FormSubscribe; s.TimeToken = "" }, Reject, ReasonPoWForged},
		{"pow malformed", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Challenge = "not-a-challenge" }, Reject, ReasonPoWBad},
		{"pow is a time token", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.Challenge = c.TimeToken }, Reject, ReasonPoWBad},
		{"pow difficulty zero", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) {
			s.Challenge = reseal(t, s.Challenge, func(b []byte) { b[10] = 0 })
		}, Reject, ReasonPoWForged},

		// Order: spam content beats "needs review".
		{"spam without JavaScript", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) {
			s.Challenge, s.Nonce = "", ""
			s.Text = []string{"SEO", "Get on the first page of Google! bit.ly/cheap-seo"}
		}, Spam, ReasonContent},
		{"bad form id", 5 * time.Second, func(t *testing.T, c Challenge, s *Submission) { s.FormID = "Contact Form" }, Reject, ReasonBadForm},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, clk := newTestGuard(t, Config{})
			ch, s := issue(t, g, FormContact)
			s.ClientIP = "192.0.2.1"
			if c.edit != nil {
				c.edit(t, ch, &s)
			}
			clk.advance(c.wait)
			v := g.Check(ctx, s)
			if v.Outcome != c.want || v.Reason != c.reason {
				t.Fatalf("Check = %v, want %s (%s)", v, c.want, c.reason)
			}
			checkVerdictShape(t, v)
		})
	}
}

// checkVerdictShape holds every verdict to the rules callers rely on.
func checkVerdictShape(t *testing.T, v Verdict) {
	t.Helper()
	err := v.Err()
	switch v.Outcome {
	case Accept, NeedsReview, Spam:
		if !v.Keep() || err != nil {
			t.Errorf("%v: Keep=%v Err=%v, want kept without error", v, v.Keep(), err)
		}
	case Honeypot:
		if v.Keep() || err != nil {
			t.Errorf("%v: a honeypot must be answered as accepted and not kept", v)
		}
	case Reject:
		if v.Keep() || errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%v: Err code %q, want invalid", v, errs.CodeOf(err))
		}
	case RateLimited:
		if v.Keep() || errs.CodeOf(err) != errs.RateLimited {
			t.Errorf("%v: Err code %q, want rate_limited", v, errs.CodeOf(err))
		}
	default:
		t.Errorf("unknown outcome %q", v.Outcome)
	}
	var e *errs.Error
	if errors.As(err, &e) && (e.Public == "" || strings.Contains(e.Public, "antibot")) {
		t.Errorf("%v: public message %q", v, e.Public)
	}
}

// flipLast changes the last character of a base64url token (inside the tag).
func flipLast(s string) string {
	last := s[len(s)-1]
	// The last character of a 26- or 43-byte encoding carries 4 or 2 bits; step
	// within its group so the decoding stays canonical.
	repl := map[byte]byte{'A': 'Q', 'Q': 'A', 'g': 'w', 'w': 'g', 'E': 'I', 'I': 'E'}
	if r, ok := repl[last]; ok {
		return s[:len(s)-1] + string(r)
	}
	// Otherwise change the character before it to the next one of the base64url
	// alphabet: still valid base64, another tag. (Flipping a bit of it could leave the
	// alphabet: 'z'^1 is '{', and the token would read as malformed, not forged.)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	next := alphabet[(strings.IndexByte(alphabet, s[len(s)-2])+1)%len(alphabet)]
	return s[:len(s)-2] + string(next) + string(last)
}

func TestReplay(t *testing.T) {
	g, clk := newTestGuard(t, Config{})
	_, s := issue(t, g, FormContact)
	clk.advance(3 * time.Second)
	if v := g.Check(ctx, s); v.Outcome != Accept {
		t.Fatalf("first use: %v", v)
	}
	if v := g.Check(ctx, s); v.Outcome != Reject || v.Reason != ReasonPoWReplayed {
		t.Fatalf("replay: %v, want reject (pow_replayed)", v)
	}
	other := s
	other.Nonce = "" // dropping the nonce does not launder a spent challenge…
	if v := g.Check(ctx, other); v.Outcome != NeedsReview {
		t.Fatalf("spent challenge without nonce: %v", v) // …it only reaches the review folder
	}
	// A wrong nonce does not spend a challenge: the right one still works.
	_, s2 := issue(t, g, FormContact)
	clk.advance(3 * time.Second)
	good := s2.Nonce
	s2.Nonce = wrongNonce(t, s2.Challenge, 8)
	if v := g.Check(ctx, s2); v.Reason != ReasonPoWWrong {
		t.Fatalf("wrong nonce: %v", v)
	}
	s2.Nonce = good
	if v := g.Check(ctx, s2); v.Outcome != Accept {
		t.Fatalf("right nonce after a wrong one: %v", v)
	}
}

func TestReplayMemoryBounded(t *testing.T) {
	g, clk := newTestGuard(t, Config{ReplayCapacity: 3, ChallengeTTL: 10 * time.Minute})
	var subs []Submission
	for range 5 {
		_, s := issue(t, g, FormContact)
		subs = append(subs, s)
	}
	clk.advance(3 * time.Second)
	for i, s := range subs {
		v := g.Check(ctx, s)
		want, reason := Accept, ReasonNone
		if i >= 3 {
			want, reason = RateLimited, ReasonPoWBusy
		}
		if v.Outcome != want || v.Reason != reason {
			t.Fatalf("solution %d: %v, want %s (%s)", i, v, want, reason)
		}
		checkVerdictShape(t, v)
	}
	if n := g.spent.len(); n != 3 {
		t.Fatalf("remembers %d challenges, capacity 3", n)
	}
	// Once the spent challenges expire, their room is reclaimed.
	clk.advance(10 * time.Minute)
	_, s := issue(t, g, FormContact)
	clk.advance(3 * time.Second)
	if v := g.Check(ctx, s); v.Outcome != Accept {
		t.Fatalf("after expiry: %v", v)
	}
	if n := g.spent.len(); n != 1 {
		t.Fatalf("remembers %d challenges after the sweep, want 1", n)
	}
}

func TestRateLimits(t *testing.T) {
	t.Run("per IP", func(t *testing.T) {
		g, clk := newTestGuard(t, Config{IPBurst: 10})
		for i := range 11 {
			_, s := issue(t, g, FormContact)
			clk.advance(3 * time.Second)
			s.ClientIP = "198.51.100.7"
			want := Accept
			if i == 10 {
				want = RateLimited
			}
			if v := g.Check(ctx, s); v.Outcome != want {
				t.Fatalf("submission %d: %v, want %s", i+1, v, want)
			} else if want == RateLimited && v.Reason != ReasonIPRate {
				t.Fatalf("reason %s", v.Reason)
			}
		}
		_, s := issue(t, g, FormContact)
		clk.advance(3 * time.Second)
		s.ClientIP = "198.51.100.8"
		if v := g.Check(ctx, s); v.Outcome != Accept {
			t.Fatalf("another IP: %v", v)
		}
	})
	t.Run("per IPv6 /64", func(t *testing.T) {
		g, _ := newTestGuard(t, Config{IPBurst: 2})
		for i, ip := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2::77"} {
			v := g.Check(ctx, Submission{FormID: FormContact, ClientIP: ip})
			if (i < 2) != (v.Outcome == NeedsReview) {
				t.Fatalf("submission %d from the same /64: %v", i+1, v)
			}
		}
		if v := g.Check(ctx, Submission{FormID: FormContact, ClientIP: "2001:db8:1:3::1"}); v.Outcome != NeedsReview {
			t.Fatalf("another /64: %v", v)
		}
	})
	t.Run("per address", func(t *testing.T) {
		g, clk := newTestGuard(t, Config{AddressBurst: 3})
		for i := range 4 {
			_, s := issue(t, g, FormSubscribe)
			clk.advance(3 * time.Second)
			s.ClientIP = "203.0.113." + string(rune('1'+i)) // a new IP each time
			s.AddressKey = "index-of-ann@example.com"
			want := Accept
			if i == 3 {
				want = RateLimited
			}
			if v := g.Check(ctx, s); v.Outcome != want {
				t.Fatalf("submission %d: %v, want %s", i+1, v, want)
			} else if want == RateLimited && v.Reason != ReasonAddressRate {
				t.Fatalf("reason %s", v.Reason)
			}
		}
		// The same IP with another address is still allowed.
		_, s := issue(t, g, FormSubscribe)
		clk.advance(3 * time.Second)
		s.ClientIP, s.AddressKey = "203.0.113.4", "index-of-bob@example.com"
		if v := g.Check(ctx, s); v.Outcome != Accept {
			t.Fatalf("another address: %v", v)
		}
	})
	t.Run("failed checks do not charge the address", func(t *testing.T) {
		g, clk := newTestGuard(t, Config{AddressBurst: 1})
		c, s := issue(t, g, FormSubscribe)
		clk.advance(3 * time.Second)
		s.AddressKey = "victim"
		bad := s
		bad.Nonce = wrongNonce(t, c.PoW, c.Difficulty)
		for range 5 {
			g.Check(ctx, bad)
		}
		if v := g.Check(ctx, s); v.Outcome != Accept {
			t.Fatalf("after forged attempts on the address: %v", v)
		}
		if v := g.Check(ctx, s); v.Reason != ReasonPoWReplayed {
			t.Fatalf("a replay must be refused before it charges the address: %v", v)
		}
	})
}

func TestIssue(t *testing.T) {
	g, _ := newTestGuard(t, Config{Difficulty: 15})
	c, err := g.Issue(FormContact)
	if err != nil {
		t.Fatal(err)
	}
	if c.Form != FormContact || c.Difficulty != 15 || c.MinWaitMS != 2000 || c.ExpiresInMS != 7_200_000 {
		t.Fatalf("Issue = %+v", c)
	}
	if len(c.TimeToken) != 35 || len(c.PoW) != 58 {
		t.Fatalf("token lengths %d, %d; want 35, 58", len(c.TimeToken), len(c.PoW))
	}
	c2, _ := g.Issue(FormContact)
	if c2.PoW == c.PoW {
		t.Fatal("two challenges alike")
	}
	for _, bad := range []string{"", "Contact", "con tact", "../x", strings.Repeat("a", 33), "a\x00b"} {
		if _, err := g.Issue(bad); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("Issue(%q): %v, want invalid", bad, err)
		}
	}
}

func TestNew(t *testing.T) {
	mac := testMAC(t)
	for name, cfg := range map[string]Config{
		"no MAC":         {},
		"constant MAC":   {MAC: func(string, string) string { return strings.Repeat("0", 64) }},
		"short MAC":      {MAC: func(p, v string) string { return p + v }},
		"difficulty 33":  {MAC: mac, Difficulty: 33},
		"max below min":  {MAC: mac, MinAge: time.Hour, MaxAge: time.Minute},
		"negative burst": {MAC: mac, IPBurst: -1},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
	g, err := New(Config{MAC: mac})
	if err != nil {
		t.Fatal(err)
	}
	if g.cfg.Difficulty != DefaultDifficulty || g.cfg.MinAge != 2*time.Second || g.cfg.MaxAge != 2*time.Hour {
		t.Fatalf("defaults: %+v", g.cfg)
	}
}

// TestKeyIsShared: two Guards built on the same key file (two instances behind a
// load balancer) accept each other's tokens; a Guard on another key does not.
func TestKeyIsShared(t *testing.T) {
	mac := testMAC(t)
	a, clk := newTestGuard(t, Config{MAC: mac})
	b, _ := newTestGuard(t, Config{MAC: mac, Now: nil})
	b.cfg.Now = clk.now
	c, _ := newTestGuard(t, Config{})
	c.cfg.Now = clk.now
	_, s := issue(t, a, FormContact)
	clk.advance(3 * time.Second)
	if v := b.Check(ctx, s); v.Outcome != Accept {
		t.Fatalf("the other instance: %v", v)
	}
	if v := c.Check(ctx, s); v.Reason != ReasonTimeForged {
		t.Fatalf("another key: %v", v)
	}
}

func TestReadFields(t *testing.T) {
	vals := map[string]string{FieldHoneypot: "h", FieldTime: "t", FieldChallenge: "c", FieldNonce: "n", "email": "x"}
	var s Submission
	s.ReadFields(func(k string) string { return vals[k] })
	if s.Honeypot != "h" || s.TimeToken != "t" || s.Challenge != "c" || s.Nonce != "n" {
		t.Fatalf("ReadFields: %#v", []string{s.Honeypot, s.TimeToken, s.Challenge, s.Nonce})
	}
}

func TestSolve(t *testing.T) {
	g, _ := newTestGuard(t, Config{Difficulty: 12})
	c, _ := g.Issue(FormContact)
	n, err := Solve(c.PoW)
	if err != nil || !solves(c.PoW, n, 12) {
		t.Fatalf("Solve = %q, %v", n, err)
	}
	for _, bad := range []string{"", c.TimeToken, c.PoW[1:], c.PoW + "A", strings.Repeat("A", 58)} {
		if _, err := Solve(bad); err == nil {
			t.Errorf("Solve(%q) accepted it", bad)
		}
	}
}

func TestLeadingZeroBits(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want int
	}{
		{[]byte{0x80}, 0}, {[]byte{0x01}, 7}, {[]byte{0, 0x40}, 9}, {[]byte{0, 0, 0}, 24}, {[]byte{0, 0x0f, 0}, 12},
	} {
		if got := leadingZeroBits(c.in); got != c.want {
			t.Errorf("leadingZeroBits(%x) = %d, want %d", c.in, got, c.want)
		}
	}
}

// TestReplayConcurrent: one solved challenge sent many times at once is accepted once.
func TestReplayConcurrent(t *testing.T) {
	g, clk := newTestGuard(t, Config{})
	_, s := issue(t, g, FormContact)
	clk.advance(3 * time.Second)
	const n = 64
	results := make(chan Verdict, n)
	for range n {
		go func() { results <- g.Check(ctx, s) }()
	}
	accepted := 0
	for range n {
		switch v := <-results; {
		case v.Outcome == Accept:
			accepted++
		case v.Reason != ReasonPoWReplayed:
			t.Errorf("unexpected %v", v)
		}
	}
	if accepted != 1 {
		t.Fatalf("accepted %d times", accepted)
	}
}
