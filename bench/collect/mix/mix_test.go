package mix

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

func TestAgentsAndBots(t *testing.T) {
	if len(Agents) != 177 {
		t.Errorf("%d browser user agents, want 177", len(Agents))
	}
	seen := map[string]bool{}
	for _, a := range Agents {
		if seen[a] || !strings.HasPrefix(a, "Mozilla/5.0 (") {
			t.Errorf("agent %q: duplicate or not a browser's", a)
		}
		seen[a] = true
	}
	if len(Bots) == 0 {
		t.Error("no bots")
	}
}

// The generator never sends a private or reserved address as a visitor's.
func TestPublicIPv4(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		a := PublicIPv4(r)
		if !a.Is4() || a.IsPrivate() || a.IsLoopback() || a.IsMulticast() || a.IsLinkLocalUnicast() || !a.IsGlobalUnicast() {
			t.Fatalf("%v is not public", a)
		}
	}
	for _, s := range []string{"10.1.2.3", "192.168.1.1", "100.64.0.1", "198.51.100.7", "240.0.0.1", "0.1.2.3"} {
		if IsPublic(netip.MustParseAddr(s)) {
			t.Errorf("%s taken as public", s)
		}
	}
}

func TestShares(t *testing.T) {
	rd := NewRound(1)
	m := rd.New(1)
	const n = 100_000
	var ref, utm, bot, home int
	for range n {
		h := m.Next()
		if h.Referrer != "" {
			ref++
		}
		if h.UTM[0] != "" {
			utm++
		}
		if h.V.Bot {
			bot++
		}
		if h.Path == "/" {
			home++
		}
	}
	for _, c := range []struct {
		name      string
		got       int
		want, tol float64
	}{{"referrers", ref, RefShare, 0.01}, {"UTM", utm, UTMShare, 0.005}, {"bots", bot, BotShare, 0.01}} {
		if f := float64(c.got) / n; f < c.want-c.tol || f > c.want+c.tol {
			t.Errorf("%s: %.3f of hits, want %.3f", c.name, f, c.want)
		}
	}
	if home < n/10 {
		t.Errorf("the most popular page has %d of %d hits: not Zipf-like", home, n)
	}
}
