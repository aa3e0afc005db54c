package analytics

import (
	"hash/maphash"
	"math/rand/v2"
	"strings"
	"sync/atomic"
)

// classCache remembers the classification of recent raw values (a user agent; a
// referrer and the site's host) so that the same value is not parsed again on every hit:
// real traffic repeats a few hundred user agents and referrers over and over.
//
// It is memory only and bounded: a fixed table of classCacheSlots entries, each found
// in one of two slots chosen by a seeded hash, a new entry replacing one of the two at
// random when both are taken (2-random-choice). Nothing grows with traffic, nothing is
// written anywhere, and the table goes with the process. A key longer than
// classCacheMaxKey is classified without the cache, so an entry holds at most that many
// bytes of key. The raw user agent (or referrer) lives only as a key of this table, to
// compare against the next hit's; what Record keeps of a hit is the classification.
//
// Lookups and inserts are lock-free (one atomic load per probed slot); a hit allocates
// nothing, a miss one entry.
type classCache[V any] struct {
	seed  maphash.Seed
	slots [classCacheSlots]atomic.Pointer[classEntry[V]]
}

// classCacheSlots is the size of each cache (a power of two): at most this many
// distinct user agents (or referrers) are remembered at once.
const classCacheSlots = 4096

// classCacheMaxKey is the longest key remembered, in bytes (the key pair's total).
const classCacheMaxKey = 512

type classEntry[V any] struct {
	key, key2 string
	val       V
}

func newClassCache[V any]() *classCache[V] {
	return &classCache[V]{seed: maphash.MakeSeed()}
}

// get returns the value remembered for (key, key2), or computes it with classify and
// remembers it.
func (c *classCache[V]) get(key, key2 string, classify func() V) V {
	if len(key)+len(key2) > classCacheMaxKey {
		return classify()
	}
	h := maphash.String(c.seed, key)
	if key2 != "" {
		h ^= maphash.String(c.seed, key2) * 0x9e3779b97f4a7c15
	}
	i, j := h&(classCacheSlots-1), (h>>32)&(classCacheSlots-1)
	for _, s := range [2]uint64{i, j} {
		if e := c.slots[s].Load(); e != nil && e.key == key && e.key2 == key2 {
			return e.val
		}
	}
	v := classify()
	// A copy of the key, so that the entry does not hold on to the request's memory.
	e := &classEntry[V]{key: strings.Clone(key), key2: strings.Clone(key2), val: v}
	switch {
	case c.slots[i].Load() == nil:
		c.slots[i].Store(e)
	case c.slots[j].Load() == nil:
		c.slots[j].Store(e)
	case rand.Uint64()&1 == 0:
		c.slots[i].Store(e)
	default:
		c.slots[j].Store(e)
	}
	return v
}
