package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
)

// Sample traffic for the demo's statistics: generated visits of made-up visitors,
// recorded through the real aggregator (so only aggregates are stored, as for real
// visits), enough of them that small-count suppression leaves something to see.
var (
	demoPages     = []string{"/", "/netscan-pro", "/ram-disk", "/bandwidth-meter", "/download", "/buy", "/contact", "/blog/faster-scans"}
	demoReferrers = []string{"", "", "", "https://www.google.com/search?q=network+scanner", "https://news.ycombinator.com/item?id=1",
		"https://t.co/abc", "https://www.bing.com/search?q=ram+disk", "https://www.reddit.com/r/sysadmin/"}
	demoAgents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
	}
	demoLanguages = []string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP"}
	demoWidths    = []int{390, 768, 1366, 1440, 1920, 2560}
)

// seedDemoStats fills the last 30 days of the demo site with sample visits, once.
func seedDemoStats(ctx context.Context, a *app, site analytics.Site) error {
	store := sqldb.AnalyticsStore{DB: a.db}
	now := time.Now().UTC()
	if existing, err := store.Stats(ctx, site.ID, analytics.DayOf(now.AddDate(0, 0, -30)), analytics.DayOf(now)); err != nil || len(existing) > 0 {
		return err // already seeded (or a real visit counted): leave it
	}
	agg := analytics.NewAggregator(store, analytics.Options{SiteHost: func(int64) string { return site.Domain }})
	rng := rand.New(rand.NewPCG(42, uint64(site.ID)))
	for d := 30; d >= 1; d-- {
		day := now.AddDate(0, 0, -d).Truncate(24 * time.Hour)
		visitors := 60 + rng.IntN(60) + (30-d)*3 // a site that grows
		for v := range visitors {
			ip := netip.AddrFrom4([4]byte{byte(20 + rng.IntN(180)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(1 + v%250)})
			ua := demoAgents[rng.IntN(len(demoAgents))]
			at := day.Add(time.Duration(rng.IntN(24*60)) * time.Minute)
			ref := demoReferrers[rng.IntN(len(demoReferrers))]
			for p := range 1 + rng.IntN(4) {
				agg.Record(analytics.Hit{
					SiteID: site.ID, Kind: analytics.KindPageview, Path: demoPages[rng.IntN(len(demoPages))],
					Referrer: ref, Language: demoLanguages[rng.IntN(len(demoLanguages))], ScreenWidth: demoWidths[rng.IntN(len(demoWidths))],
					IP: ip, UserAgent: ua, Time: at.Add(time.Duration(p) * 40 * time.Second),
				})
				ref = "" // later pages of the visit come from the site itself
			}
			if rng.IntN(8) == 0 {
				agg.Record(analytics.Hit{SiteID: site.ID, Kind: analytics.KindEvent, Event: "download", IP: ip, UserAgent: ua, Time: at.Add(time.Minute)})
			}
		}
	}
	if err := agg.Flush(ctx); err != nil {
		return fmt.Errorf("seeding demo statistics: %w", err)
	}
	return nil
}
