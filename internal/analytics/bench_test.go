package analytics_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
)

type discard struct{}

func (discard) Merge(context.Context, []analytics.Aggregate) error { return nil }

// BenchmarkRecord measures one page view classified and counted in memory (1,000
// visitors over 100 pages), with flushes to a store that discards.
func BenchmarkRecord(b *testing.B) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	a := analytics.NewAggregator(discard{}, analytics.Options{Now: func() time.Time { return now }})
	hits := make([]analytics.Hit, 1000)
	for i := range hits {
		hits[i] = analytics.Hit{SiteID: 1, Kind: analytics.KindPageview, Path: fmt.Sprintf("/docs/page-%d?utm_source=x", i%100),
			Referrer: "https://www.google.com/search?q=candor", Language: "en-US", ScreenWidth: 1440,
			IP: netip.AddrFrom4([4]byte{198, 51, byte(i >> 8), byte(i)}), UserAgent: chromeUA, Time: now}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if !a.Record(hits[i%len(hits)]) {
			_ = a.Flush(context.Background())
		}
	}
}

// BenchmarkFlush measures one flush of n distinct aggregates into a fresh database
// (inserts), then of the same n again (read-merge-write).
func BenchmarkFlush(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("aggregates=%d", n), func(b *testing.B) {
			e := newEnv(b)
			a := e.aggregator(analytics.Options{MaxValues: n, MaxPending: 10 * n})
			for b.Loop() {
				b.StopTimer()
				for i := 0; i < n-16; i++ { // each new page adds one page aggregate
					a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: fmt.Sprintf("/p/%d", i),
						IP: netip.AddrFrom4([4]byte{198, 51, 100, 1}), UserAgent: chromeUA, Time: day0})
				}
				if p, _ := a.Pending(); p < n-16 {
					b.Fatalf("pending %d", p)
				}
				b.StartTimer()
				flush(b, a)
			}
		})
	}
}
