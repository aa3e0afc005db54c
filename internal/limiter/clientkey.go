package limiter

import "net/netip"

// ClientKey is how a per-client limit keys a client address given as text: the
// address itself, but an IPv6 address's /64, since one subscriber line holds a whole
// /64 and a client could walk it. Text that is not an address is used as it is, at
// most 64 bytes of it.
func ClientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		if len(ip) > 64 {
			ip = ip[:64]
		}
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
