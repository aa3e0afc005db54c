package analytics

import (
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/analytics/classify"
)

// The classification caches are bounded: however many distinct user agents arrive, the
// table holds at most classCacheSlots entries, and a cached answer equals a fresh one.
func TestClassCacheBoundedAndCorrect(t *testing.T) {
	c := newClassCache[agentClass]()
	calls := 0
	get := func(ua string) agentClass {
		return c.get(ua, "", func() agentClass { calls++; return classifyAgent(ua) })
	}
	const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	if got, want := get(chrome), classifyAgent(chrome); got != want || get(chrome) != want || calls != 1 {
		t.Fatalf("cached %+v, fresh %+v, %d classifications (want 1)", got, want, calls)
	}
	for i := range 5 * classCacheSlots {
		ua := "Mozilla/5.0 (X11; Linux x86_64; rv:" + strconv.Itoa(i) + ".0) Gecko/20100101 Firefox/" + strconv.Itoa(i) + ".0"
		if got, want := get(ua), classifyAgent(ua); got != want {
			t.Fatalf("%q: cached %+v, fresh %+v", ua, got, want)
		}
	}
	n := 0
	for i := range c.slots {
		if c.slots[i].Load() != nil {
			n++
		}
	}
	if n > classCacheSlots {
		t.Fatalf("%d entries, bound %d", n, classCacheSlots)
	}
	// A key beyond the cap is classified every time and never kept.
	long := chrome + strings.Repeat("x", classCacheMaxKey)
	before := calls
	get(long)
	get(long)
	if calls != before+2 {
		t.Errorf("a %d-byte key was cached", len(long))
	}
	for i := range c.slots {
		if e := c.slots[i].Load(); e != nil && e.key == long {
			t.Fatal("a key beyond the cap is held")
		}
	}
}

// Referrers are cached per site host: the same referrer is internal on its own site and
// a referral elsewhere.
func TestClassCacheKeyPair(t *testing.T) {
	a := NewAggregator(nil, Options{})
	for _, site := range []string{"example.com", "other.org", "example.com"} {
		h := Hit{Kind: KindPageview, Path: "/", Referrer: "https://example.com/page", UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"}
		a.opts.SiteHost = func(int64) string { return site }
		c, ok := a.classify(h)
		want := "referral"
		if site == "example.com" {
			want = "internal"
		}
		if !ok || c.attrs[0] != want {
			t.Errorf("on %s: kind %q, want %q", site, c.attrs[0], want)
		}
	}
}

// Many goroutines reading and replacing the same slots (more distinct keys than slots)
// each get the answer a fresh classification gives; run with -race, this also checks
// that an entry is never read while it is written.
func TestClassCacheConcurrent(t *testing.T) {
	c := newClassCache[agentClass]()
	agents := make([]string, 3*classCacheSlots)
	for i := range agents {
		agents[i] = "Mozilla/5.0 (X11; Linux x86_64; rv:" + strconv.Itoa(i) + ".0) Gecko/20100101 Firefox/" + strconv.Itoa(i%200) + ".0"
	}
	errc := make(chan string, 8)
	for g := range 8 {
		go func() {
			for i := range 4 * len(agents) / 8 {
				ua := agents[(i*7+g*131)%len(agents)]
				if got, want := c.get(ua, "", func() agentClass { return classifyAgent(ua) }), classifyAgent(ua); got != want {
					errc <- ua + ": cached " + got.browser + ", fresh " + want.browser
					return
				}
			}
			errc <- ""
		}()
	}
	for range 8 {
		if msg := <-errc; msg != "" {
			t.Error(msg)
		}
	}
}

// A hit on the cache allocates nothing: the cache is there to take work off the
// per-hit path, not to add to it.
func TestClassCacheHitDoesNotAllocate(t *testing.T) {
	c := newClassCache[classify.Source]()
	ref, host := "https://www.google.com/search?q=candor", "example.com"
	classifyRef := func() classify.Source { return classify.Referrer(ref, host) }
	c.get(ref, host, classifyRef)
	if n := testing.AllocsPerRun(100, func() { _ = c.get(ref, host, classifyRef) }); n != 0 {
		t.Errorf("a cache hit allocates %v times", n)
	}
}
