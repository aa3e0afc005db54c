package classify

import (
	"net/netip"

	"github.com/phuslu/iploc"
)

func country(ip netip.Addr) string {
	ip = ip.Unmap()
	if !ip.IsValid() || !ip.IsGlobalUnicast() || ip.IsPrivate() {
		return ""
	}
	if ip.Is6() && isSpecial6(ip) {
		return ""
	}
	if ip.Is4() && isSpecial4(ip) {
		return ""
	}
	c := iploc.IPCountry(ip)
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c == "ZZ" || c == "XX" {
		return ""
	}
	return c
}

// isSpecial4 covers IPv4 ranges that are not private in the netip sense but
// never name a country: CGNAT 100.64/10, 0/8, 192.0.0/24, documentation,
// benchmarking, reserved 240/4.
func isSpecial4(ip netip.Addr) bool {
	b := ip.As4()
	switch {
	case b[0] == 0, b[0] >= 240:
		return true
	case b[0] == 100 && b[1]&0xC0 == 64:
		return true
	case b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2):
		return true
	case b[0] == 198 && (b[1] == 18 || b[1] == 19):
		return true
	case b[0] == 198 && b[1] == 51 && b[2] == 100, b[0] == 203 && b[1] == 0 && b[2] == 113:
		return true
	}
	return false
}

// isSpecial6 covers documentation (2001:db8::/32) and unique local
// (fc00::/7, already private) prefixes.
func isSpecial6(ip netip.Addr) bool {
	b := ip.As16()
	return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8
}
