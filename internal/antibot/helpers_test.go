package antibot

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/pii"
)

// testMAC is the MAC Candor wires in: a real Sealer's blind index.
func testMAC(t testing.TB) MACFunc {
	t.Helper()
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	return pii.NewSealer(kr).Index
}

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// newTestGuard returns a Guard at difficulty 8 (fast to solve) on a fake clock,
// with cfg's other settings.
func newTestGuard(t testing.TB, cfg Config) (*Guard, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	if cfg.MAC == nil {
		cfg.MAC = testMAC(t)
	}
	if cfg.Difficulty == 0 {
		cfg.Difficulty = 8
	}
	cfg.Now = clk.now
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g, clk
}

// issue returns a challenge for form and a submission carrying it, solved.
func issue(t testing.TB, g *Guard, form string) (Challenge, Submission) {
	t.Helper()
	c, err := g.Issue(form)
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := Solve(c.PoW)
	if err != nil {
		t.Fatal(err)
	}
	return c, Submission{FormID: form, TimeToken: c.TimeToken, Challenge: c.PoW, Nonce: nonce}
}

// wrongNonce returns a well-formed nonce that does not solve challenge.
func wrongNonce(t testing.TB, challenge string, difficulty int) string {
	t.Helper()
	for i := 0; i < 1000; i++ {
		n := "x" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		if !solves(challenge, n, difficulty) {
			return n
		}
	}
	t.Fatal("no wrong nonce found")
	return ""
}

// reseal decodes token, lets edit change its body, and re-encodes it with the old tag
// (an attacker without the key can do no better).
func reseal(t testing.TB, token string, edit func(body []byte)) string {
	t.Helper()
	raw, err := b64.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	edit(raw[:len(raw)-tagLen])
	return b64.EncodeToString(raw)
}

// setMillis writes a Unix-ms time at body[2:10].
func setMillis(body []byte, t time.Time) { binary.BigEndian.PutUint64(body[2:], uint64(t.UnixMilli())) }
