package limiter

import "testing"

// An IPv6 client is keyed by its /64, an IPv4 one by its address.
func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":          "203.0.113.7",
		"::ffff:203.0.113.7":   "203.0.113.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::9%eth0": "2001:db8:1:2::/64",
		"not an address":       "not an address",
	} {
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q; want %q", in, got, want)
		}
	}
}
