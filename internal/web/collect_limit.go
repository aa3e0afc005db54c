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

// collectLimitKeys bounds the addresses tracked at once (about 20 MB when full). Idle
// buckets are evicted; under a flood of more new addresses than that in a second, new
// addresses are not counted until room is made.
const collectLimitKeys = 100_000

// newCollectLimit returns the limiter for perMinute hits a minute per address, in
// bursts of twice that; nil (no limit) for 0.
func newCollectLimit(perMinute int) *limiter.Limiter {
	if perMinute <= 0 {
		return nil
	}
	return limiter.New(2*perMinute, time.Minute/time.Duration(perMinute), collectLimitKeys)
}

// allowHit spends one hit of the client address ip.
func (s *Server) allowHit(ip netip.Addr) bool {
	if s.collectLimit == nil {
		return true
	}
	ip = ip.Unmap()
	if !ip.IsValid() {
		return true // no address to limit by (not behind a listener): nothing to key
	}
	b := ip.As16()
	key := b[:8] // an IPv6 /64
	if ip.Is4() {
		key = b[12:]
	}
	return s.collectLimit.Allow(string(key))
}
