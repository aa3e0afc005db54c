package antibot

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestNothingLeaks: neither a Submission nor any Verdict prints, logs or explains
// itself with the client's IP, address key or text.
func TestNothingLeaks(t *testing.T) {
	const ip, key, text = "203.0.113.99", "canary-address-key", "canary message text bit.ly/canary"
	g, clk := newTestGuard(t, Config{AddressBurst: 1})
	_, s := issue(t, g, FormContact)
	s.ClientIP, s.AddressKey, s.Text = ip, key, []string{text}
	s.Honeypot = ""
	clk.advance(3 * time.Second)
	var out bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&out, nil))
	fmt.Fprintf(&out, "%v %+v %#v %s %q\n", s, s, s, s, s)
	log.Info("submission", "s", s)
	for range 3 { // spam, then replayed, then the limits
		v := g.Check(ctx, s)
		fmt.Fprintf(&out, "%v %+v %#v %s\n", v, v, v, v)
		if err := v.Err(); err != nil {
			fmt.Fprintln(&out, err.Error())
		}
		log.Info("verdict", "v", v)
	}
	for _, canary := range []string{ip, key, "canary"} {
		if strings.Contains(out.String(), canary) {
			t.Errorf("output contains %q:\n%s", canary, out.String())
		}
	}
}
