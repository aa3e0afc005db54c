// Package limiter keeps per-key rate limits in memory: token buckets keyed by a string
// such as a client IP address or a blind index.
//
// Invariants: keys live only in this process's memory and are never written anywhere
// (an IP address used for throttling is never stored); memory is bounded by the
// capacity given to New, evicting idle keys first and, under a flood of distinct keys,
// refusing new keys rather than growing.
package limiter

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a set of token buckets, one per key.
type Limiter struct {
	mu       sync.Mutex
	every    rate.Limit
	burst    int
	capacity int
	buckets  map[string]*bucket
	now      func() time.Time
	swept    time.Time // last full eviction pass; at most one a second
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a limiter that allows burst events at once per key and refills one event
// per interval, tracking at most capacity keys.
func New(burst int, interval time.Duration, capacity int) *Limiter {
	return &Limiter{
		every:    rate.Every(interval),
		burst:    burst,
		capacity: capacity,
		buckets:  make(map[string]*bucket),
		now:      time.Now,
	}
}

// Allow spends one token of key's bucket and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.capacity && !l.evict(now) {
			return false // a flood of new keys: refuse rather than grow
		}
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// Reset forgets key, e.g. after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
}

// evict drops buckets that have refilled completely (they hold no information) and
// reports whether it made room.
func (l *Limiter) evict(now time.Time) bool {
	if now.Sub(l.swept) < time.Second {
		return false
	}
	l.swept = now
	for k, b := range l.buckets {
		if b.lim.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	return len(l.buckets) < l.capacity
}

// Len reports how many keys are tracked.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
