package analytics

import (
	"strconv"
	"strings"
	"testing"
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
