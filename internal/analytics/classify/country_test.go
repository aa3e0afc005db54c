package classify

import (
	"net/netip"
	"testing"
)

func TestCountry(t *testing.T) {
	for _, tc := range []struct{ ip, want string }{
		{"8.8.8.8", "US"},
		{"133.1.1.1", "JP"},
		{"200.160.2.3", "BR"},
		{"1.1.1.1", "AU"}, // APNIC and Cloudflare, registered in Australia
		{"81.2.69.142", "GB"},
		{"88.198.0.1", "DE"},
		{"::ffff:88.198.0.1", "DE"},
		{"2a01:4f8::1", "DE"},
		{"2001:4860:4860::8888", "US"},
		// private, loopback, link-local, special-purpose
		{"10.1.2.3", ""},
		{"172.16.0.1", ""},
		{"192.168.1.1", ""},
		{"127.0.0.1", ""},
		{"169.254.1.1", ""},
		{"100.64.0.1", ""},
		{"0.0.0.0", ""},
		{"255.255.255.255", ""},
		{"224.0.0.1", ""},
		{"192.0.2.1", ""},
		{"198.51.100.1", ""},
		{"203.0.113.1", ""},
		{"::1", ""},
		{"::", ""},
		{"fe80::1", ""},
		{"fd00::1", ""},
		{"ff02::1", ""},
		{"2001:db8::1", ""},
		{"::2", ""},
		{"::1.2.3.4", ""},
		{"64:ff9b::808:808", ""},
		{"::ffff:192.168.1.1", ""},
	} {
		if got := Country(netip.MustParseAddr(tc.ip)); got != tc.want {
			t.Errorf("Country(%s) = %q, want %q", tc.ip, got, tc.want)
		}
	}
	if got := Country(netip.Addr{}); got != "" {
		t.Errorf("Country(zero) = %q", got)
	}
}

func BenchmarkCountry(b *testing.B) {
	ips := []netip.Addr{
		netip.MustParseAddr("88.198.0.1"),
		netip.MustParseAddr("8.8.8.8"),
		netip.MustParseAddr("2a01:4f8::1"),
		netip.MustParseAddr("192.168.1.1"),
	}
	Country(ips[2]) // the IPv6 table is decompressed on first use
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Country(ips[i%len(ips)])
	}
}

func FuzzCountry(f *testing.F) {
	f.Add([]byte{8, 8, 8, 8})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2})
	f.Add([]byte{0x2a, 0x01, 0x04, 0xf8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		ip, ok := netip.AddrFromSlice(b)
		if !ok {
			return
		}
		c := Country(ip)
		if c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
			t.Fatalf("Country(%s) = %q", ip, c)
		}
		if c != "" && (ip.IsPrivate() || ip.IsLoopback() || ip.Unmap().IsPrivate()) {
			t.Fatalf("Country(%s) = %q for a private address", ip, c)
		}
	})
}
