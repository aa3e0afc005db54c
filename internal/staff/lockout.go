package staff

import (
	"sync"
	"time"
)

// Lockout is per account and client together (OWASP's guidance on lockout): failures
// from one client lock the account for that client only, so nobody can keep a member
// out by failing on purpose. A client is an IPv4 address or an IPv6 /64
// (limiter.ClientKey), or a session for the change-password form. Distributed
// guessing is bounded by a higher count per account, kept with the account, that
// locks it for everyone.

// clientFailures counts failed attempts per (account, client) pair, in this process's
// memory only (an address is never stored); at most capacity pairs, dropping expired
// ones when full and, under a flood of new pairs, the oldest lock first.
type clientFailures struct {
	mu       sync.Mutex
	capacity int
	pairs    map[pairKey]pairState
}

// pairKey is one account's attempts from one client.
type pairKey struct {
	staffID int64
	client  string
}

// pairState is a pair's failures since its last success, and its lock.
type pairState struct {
	failures    int
	lockedUntil time.Time
	last        time.Time
}

func newClientFailures(capacity int) *clientFailures {
	return &clientFailures{capacity: capacity, pairs: map[pairKey]pairState{}}
}

// locked reports whether the pair is locked at now.
func (c *clientFailures) locked(staffID int64, client string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pairs[pairKey{staffID, client}].lockedUntil.After(now)
}

// fail counts a failure of the pair and returns the time its lock ends when this
// failure locked it (zero otherwise).
func (c *clientFailures) fail(staffID int64, client string, now time.Time, threshold int, lock time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := pairKey{staffID, client}
	st, ok := c.pairs[k]
	if !ok && len(c.pairs) >= c.capacity {
		c.evict(now)
	}
	if !st.lockedUntil.IsZero() && !st.lockedUntil.After(now) {
		st = pairState{} // a lock that expired starts the count afresh
	}
	st.failures++
	st.last = now
	var until time.Time
	if st.failures >= threshold && !st.lockedUntil.After(now) {
		st.lockedUntil, until = now.Add(lock), now.Add(lock)
	}
	c.pairs[k] = st
	return until
}

// reset forgets the pair's failures (a success) or, with client "", all of the
// account's (an owner re-enabled it).
func (c *clientFailures) reset(staffID int64, client string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if client != "" {
		delete(c.pairs, pairKey{staffID, client})
		return
	}
	for k := range c.pairs {
		if k.staffID == staffID {
			delete(c.pairs, k)
		}
	}
}

// evict drops the pairs not locked at now, or, if every pair is locked, the one seen
// longest ago. c.mu is held.
func (c *clientFailures) evict(now time.Time) {
	var oldest pairKey
	var oldestAt time.Time
	for k, st := range c.pairs {
		if !st.lockedUntil.After(now) {
			delete(c.pairs, k)
			continue
		}
		if oldestAt.IsZero() || st.last.Before(oldestAt) {
			oldest, oldestAt = k, st.last
		}
	}
	if len(c.pairs) >= c.capacity {
		delete(c.pairs, oldest)
	}
}
