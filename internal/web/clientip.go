package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIP decides the client's address: the TCP peer, unless the peer is a trusted
// proxy, in which case X-Forwarded-For is walked from the right past trusted proxies and
// the first untrusted address is the client. Headers from untrusted peers are ignored.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	return addrString(clientAddr(r, trusted))
}

// addrString is a.String(), or "" for the zero Addr (no usable peer address).
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// clientAddr is clientIP as an address (invalid when the peer's is unusable): no
// formatting on the hot path, where the statistics collector wants the address anyway.
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return netip.Addr{}
	}
	if !isTrusted(peer, trusted) {
		return peer
	}
	// Walk the hops from the right (the last header line's last address first) without
	// splitting them into a slice: this runs on every request.
	hops := r.Header.Values("X-Forwarded-For")
	client := peer
walk:
	for i := len(hops) - 1; i >= 0; i-- {
		h := hops[i]
		for {
			j := strings.LastIndexByte(h, ',')
			ip, err := netip.ParseAddr(strings.TrimSpace(h[j+1:]))
			if err != nil {
				break walk // a malformed hop: stop at the last address we could trust
			}
			client = ip.Unmap()
			if !isTrusted(client, trusted) {
				break walk
			}
			if j < 0 {
				break
			}
			h = h[:j]
		}
	}
	return client
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap()
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
