// Package limiter keeps per-key rate limits in memory: token buckets keyed by a value
// such as a client address or a blind index.
//
// Invariants: keys live only in this process's memory and are never written anywhere
// (an IP address used for throttling is never stored); memory is bounded by the
// capacity given to New, evicting idle keys first and, under a flood of distinct keys,
// refusing new keys rather than growing.
package limiter

import (
	"sync"
	"time"
)

// Limiter is a set of token buckets, one per key.
//
// The buckets are plain values in one map under one lock, not a rate.Limiter each
// (golang.org/x/time/rate, which carries its own mutex and lives behind a pointer): a
// new key costs no allocation of its own, and with a key type free of pointers (an
// address's bytes) the garbage collector never scans the map, which matters for the
// statistics collector's limit of one bucket per visitor address at page-view rates.
type Limiter[K comparable] struct {
	mu       sync.Mutex
	every    time.Duration // one token back per every
	burst    float64
	capacity int
	buckets  map[K]bucket
	now      func() time.Time
	epoch    time.Time // times are kept as nanoseconds since, on the monotonic clock
	swept    time.Time // last full eviction pass; at most one a second
}

// bucket is one key's tokens as of last (nanoseconds since the limiter's epoch).
type bucket struct {
	tokens float64
	last   int64
}

// New returns a limiter that allows burst events at once per key and refills one event
// per interval, tracking at most capacity keys. It panics unless interval > 0.
func New[K comparable](burst int, interval time.Duration, capacity int) *Limiter[K] {
	if interval <= 0 {
		panic("limiter: the refill interval must be positive")
	}
	return &Limiter[K]{
		every:    interval,
		burst:    float64(burst),
		capacity: capacity,
		buckets:  make(map[K]bucket),
		now:      time.Now,
		epoch:    time.Now(),
	}
}

// stamp is t in the buckets' terms: on the monotonic clock when t has a reading of it
// (time.Now does), so that a step of the wall clock changes nothing.
func (l *Limiter[K]) stamp(t time.Time) int64 { return int64(t.Sub(l.epoch)) }

// at returns b's tokens at now: refilled since last (never emptied by a clock that went
// back), at most burst.
func (l *Limiter[K]) at(b bucket, now int64) float64 {
	return min(l.burst, b.tokens+float64(max(now-b.last, 0))/float64(l.every))
}

// Allow spends one token of key's bucket and reports whether there was one.
func (l *Limiter[K]) Allow(key K) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at := l.stamp(now)
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.capacity && !l.evict(now) {
			return false // a flood of new keys: refuse rather than grow
		}
		b = bucket{tokens: l.burst, last: at}
	} else {
		b.tokens = l.at(b, at)
	}
	b.last = at
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	l.buckets[key] = b
	return allowed
}

// Reset forgets key, e.g. after a successful sign-in.
func (l *Limiter[K]) Reset(key K) {
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
}

// evict drops buckets that have refilled completely (they hold no information) and
// reports whether it made room.
func (l *Limiter[K]) evict(now time.Time) bool {
	if now.Sub(l.swept) < time.Second {
		return false
	}
	l.swept = now
	for k, b := range l.buckets {
		if l.at(b, l.stamp(now)) >= l.burst {
			delete(l.buckets, k)
		}
	}
	return len(l.buckets) < l.capacity
}

// Len reports how many keys are tracked.
func (l *Limiter[K]) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
