package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// The edges of the HTTP surface decide two things about a request from its connection,
// never from what an untrusted client says: whether it comes from this machine
// (loopback), and whether it travelled encrypted (TLS). Both believe forwarding headers
// only from a --trusted-proxy peer.

// forwardingHeaders are the headers a reverse proxy adds. A loopback peer that sends one
// is a proxy (perhaps one nobody configured as trusted), so its request does not count as
// coming from this machine.
var forwardingHeaders = []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip", "X-Forwarded-Proto", "X-Forwarded-Host"}

// fromLoopback reports whether r comes from this machine: the TCP peer is a loopback
// address. A request from a trusted proxy on loopback counts only when X-Forwarded-For names a loopback client (a proxy that forwards a
// remote visitor is not loopback, and one that says nothing cannot be told from one that
// hides the visitor); a loopback peer that sends forwarding headers without being trusted
// is a proxy whose client is unknown, so it does not count either.
func fromLoopback(r *http.Request, trusted []netip.Prefix) bool {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsLoopback() {
		return false // a proxy elsewhere forwards someone who is not on this machine
	}
	if isTrusted(peer, trusted) {
		return r.Header.Get("X-Forwarded-For") != "" && clientAddr(r, trusted).IsLoopback()
	}
	for _, h := range forwardingHeaders {
		if _, ok := r.Header[h]; ok {
			return false
		}
	}
	return true
}

// overTLS reports whether r travelled encrypted: over Candor's own TLS listener, or
// through a trusted proxy whose X-Forwarded-Proto (the value it set last) is https.
func overTLS(r *http.Request, trusted []netip.Prefix) bool {
	if r.TLS != nil {
		return true
	}
	if !isTrusted(peerAddr(r.RemoteAddr), trusted) {
		return false
	}
	v := r.Header.Values("X-Forwarded-Proto")
	if len(v) == 0 {
		return false
	}
	last := v[len(v)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(last), "https")
}
