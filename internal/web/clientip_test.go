package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"testing"
)

// Promise: sign-in throttling cannot be dodged by lying about one's address. A client
// may write any X-Forwarded-For it likes; only hops added by our own proxies count.
func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	cases := []struct {
		name    string
		remote  string
		xff     []string // one entry per header line
		trusted []netip.Prefix
		want    string
	}{
		{"no proxy configured", "203.0.113.7:5555", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"untrusted peer: header ignored", "203.0.113.7:5555", []string{"198.51.100.1"}, proxies, "203.0.113.7"},
		{"untrusted peer claiming a trusted hop", "203.0.113.7:5555", []string{"198.51.100.1, 10.0.0.2"}, proxies, "203.0.113.7"},
		{"trusted peer, no header", "10.0.0.2:5555", nil, proxies, "10.0.0.2"},
		{"trusted peer, one hop", "10.0.0.2:5555", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"rightmost untrusted hop wins over a spoofed left part", "10.0.0.2:5555", []string{"1.2.3.4, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"chain of trusted proxies", "10.0.0.2:5555", []string{"1.2.3.4, 198.51.100.1, 10.9.9.9, 10.1.1.1"}, proxies, "198.51.100.1"},
		{"several header lines in order", "10.0.0.2:5555", []string{"1.2.3.4", "198.51.100.1, 10.1.1.1"}, proxies, "198.51.100.1"},
		{"spaces around hops", "10.0.0.2:5555", []string{" 1.2.3.4 ,  198.51.100.1 "}, proxies, "198.51.100.1"},
		{"every hop trusted: the leftmost", "10.0.0.2:5555", []string{"10.3.3.3, 10.1.1.1"}, proxies, "10.3.3.3"},
		{"IPv6 client", "[fd00::1]:443", []string{"2001:db8::7"}, proxies, "2001:db8::7"},
		{"IPv4-mapped IPv6 hop", "10.0.0.2:5555", []string{"::ffff:198.51.100.1"}, proxies, "198.51.100.1"},
		{"IPv4-mapped peer", "[::ffff:10.0.0.2]:5555", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"IPv4-mapped untrusted peer", "[::ffff:203.0.113.7]:5555", []string{"198.51.100.1"}, proxies, "203.0.113.7"},

		// A malformed hop stops the walk at the last address a trusted proxy vouched for:
		// never the attacker's choice, never the malformed text.
		{"malformed rightmost hop", "10.0.0.2:5555", []string{"198.51.100.1, garbage"}, proxies, "10.0.0.2"},
		{"malformed hop behind a trusted one", "10.0.0.2:5555", []string{"198.51.100.1, garbage, 10.1.1.1"}, proxies, "10.1.1.1"},
		{"malformed hop left of the client", "10.0.0.2:5555", []string{"garbage, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"empty hop", "10.0.0.2:5555", []string{"198.51.100.1,,"}, proxies, "10.0.0.2"},
		{"empty header", "10.0.0.2:5555", []string{""}, proxies, "10.0.0.2"},
		{"hop with a port", "10.0.0.2:5555", []string{"198.51.100.1:4711"}, proxies, "10.0.0.2"},
		{"hop in brackets", "10.0.0.2:5555", []string{"[2001:db8::7]"}, proxies, "10.0.0.2"},
		{"the word unknown", "10.0.0.2:5555", []string{"unknown"}, proxies, "10.0.0.2"},
		{"hop with an HTML payload", "10.0.0.2:5555", []string{"<script>alert(1)</script>"}, proxies, "10.0.0.2"},

		{"peer without a port", "203.0.113.7", nil, proxies, "203.0.113.7"},
		{"unparsable peer", "not-an-address", []string{"198.51.100.1"}, proxies, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.remote
			for _, h := range tc.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			if got := clientIP(r, tc.trusted); got != tc.want {
				t.Errorf("clientIP(%s, XFF %q) = %q; want %q", tc.remote, tc.xff, got, tc.want)
			}
		})
	}
}

// Promise: the per-IP sign-in throttle holds over real HTTP, whatever X-Forwarded-For
// an untrusted client sends; behind a configured proxy it counts the real clients apart.
func TestSignInThrottleByClientIP(t *testing.T) {
	bad := url.Values{"email": {"nobody@example.com"}, "password": {"not-the-password-1"}}
	t.Run("untrusted peer", func(t *testing.T) {
		e := newEnv(t)
		c := e.client()
		for i := range 20 {
			c.hdr.Set("X-Forwarded-For", netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}).String())
			want(t, c.post("/admin/login", bad), http.StatusUnauthorized)
		}
		c.hdr.Set("X-Forwarded-For", "198.51.100.250")
		r := c.post("/admin/login", bad)
		want(t, r, http.StatusTooManyRequests)
		checkSecurityHeaders(t, "429", r.Header)
	})
	t.Run("trusted proxy", func(t *testing.T) {
		e := newEnv(t, "--trusted-proxy", "127.0.0.0/8", "--trusted-proxy", "::1")
		c := e.client()
		c.hdr.Set("X-Forwarded-For", "198.51.100.7")
		for range 20 {
			want(t, c.post("/admin/login", bad), http.StatusUnauthorized)
		}
		want(t, c.post("/admin/login", bad), http.StatusTooManyRequests)
		c.hdr.Set("X-Forwarded-For", "198.51.100.8") // another client behind the same proxy
		want(t, c.post("/admin/login", bad), http.StatusUnauthorized)
	})
}
