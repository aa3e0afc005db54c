package web

import (
	"net/http"
	"strings"
	"testing"
)

// A flood from one address stops counting at its limit (answered as usual: 204, the
// pixel its GIF, and counted only in a metric); another address still counts. An IPv6
// address is limited by its /64.
func TestCollectLimitPerAddress(t *testing.T) {
	e, spy := collectEnv(t, "--trusted-proxy", "127.0.0.1", "--stats-ip-limit", "5") // bursts of 10
	c := e.client()
	c.hdr.Set("User-Agent", visitUA)
	from := func(ip string, n int) {
		t.Helper()
		for range n {
			if r := c.beacon(`{"site":"example.com","path":"/"}`, "X-Forwarded-For", ip); r.StatusCode != http.StatusNoContent {
				t.Fatalf("beacon from %s: %d", ip, r.StatusCode)
			}
		}
	}
	from("203.0.113.1", 30)
	flooded := len(spy.all())
	if flooded < 10 || flooded > 11 { // the burst, and at most one token refilled meanwhile
		t.Fatalf("a flood of 30 hits from one address counted %d, want the burst of 10", flooded)
	}
	if r := c.getWith("/pixel.gif?site=example.com", "X-Forwarded-For", "203.0.113.1"); r.StatusCode != http.StatusOK || r.body != string(pixelGIF) {
		t.Fatalf("the pixel beyond the limit: %d, want its GIF", r.StatusCode)
	}
	from("203.0.113.2", 3)
	if got := len(spy.all()); got != flooded+3 {
		t.Fatalf("another address: %d hits counted, want %d", got, flooded+3)
	}
	from("2001:db8:0:1::1", 10)
	from("2001:db8:0:1::2", 5) // the same /64: over its limit
	from("2001:db8:0:2::1", 1) // another /64
	if got := len(spy.all()); got < flooded+3+11 || got > flooded+3+12 {
		t.Fatalf("IPv6: %d hits counted, want %d (a /64 shares one limit)", got, flooded+3+11)
	}
	before := len(spy.all())
	from("cb00:7101::1", 1) // its /64 starts with the bytes of the flooded 203.0.113.1
	if got := len(spy.all()); got != before+1 {
		t.Fatal("an IPv6 /64 shares the limit of the IPv4 address spelt by its first bytes")
	}
	// 127.0.0.1 is a trusted proxy here: /metrics answers it only for a loopback client.
	metrics := c.getWith("/metrics", "X-Forwarded-For", "127.0.0.1").body
	if !strings.Contains(metrics, `candor_stats_hits_total{outcome="rate_limited"}`) {
		t.Fatal("no metric counts the dropped hits")
	}
	e.canary("203.0.113.1", "2001:db8:0:1::1")
	if strings.Contains(metrics, "203.0.113") || strings.Contains(metrics, "2001:db8") {
		t.Fatal("the metrics name an address")
	}
}

// --stats-ip-limit 0 turns the limit off (load generators sending from one address).
func TestCollectLimitOff(t *testing.T) {
	e, spy := collectEnv(t, "--stats-ip-limit", "0")
	c := e.client()
	c.hdr.Set("User-Agent", visitUA)
	for range 300 {
		c.beacon(`{"site":"example.com","path":"/"}`)
	}
	if got := len(spy.all()); got != 300 {
		t.Fatalf("without a limit %d of 300 hits counted", got)
	}
}
