package web

import (
	"net/netip"
	"time"

	"github.com/candor-dev/candor/internal/limiter"
)

// The per-address limit of statistics hits (--stats-ip-limit): a flood from one address
// is answered as usual and counted nowhere, so it cannot inflate the statistics. The
// key is the client address (an IPv6 address by its /64, which one subscriber holds
// whole), in this process's memory only: never stored, never logged.

// collectLimitKeys bounds the addresses tracked at once (5.2 MB when full). Idle
// buckets are evicted; under a flood of more new addresses than that in a second, new
// addresses are not counted until room is made.
const collectLimitKeys = 100_000

// newCollectLimit returns the limiter for perMinute hits a minute per address, in
// bursts of twice that; nil (no limit) for 0.
func newCollectLimit(perMinute int) *limiter.Limiter[addrKey] {
	if perMinute <= 0 {
		return nil
	}
	return limiter.New[addrKey](2*perMinute, time.Minute/time.Duration(perMinute), collectLimitKeys)
}

// addrKey is a client's address as the limit keys it: an IPv4 address, or an IPv6
// address's /64. It holds no pointer, so the limiter's map is never scanned by the
// garbage collector.
type addrKey struct {
	b  [8]byte
	v6 bool
}

// addrKeyOf returns the key of a client address; ok is false for no address (a request
// that did not come through a listener).
func addrKeyOf(ip netip.Addr) (key addrKey, ok bool) {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return key, false
	}
	b := ip.As16()
	if ip.Is4() {
		copy(key.b[:], b[12:])
	} else {
		copy(key.b[:], b[:8])
		key.v6 = true
	}
	return key, true
}

// allowHit spends one hit of the client address ip.
func (s *collector) allowHit(ip netip.Addr) bool {
	if s.collectLimit == nil {
		return true
	}
	key, ok := addrKeyOf(ip)
	return !ok || s.collectLimit.Allow(key) // no address: nothing to key
}
