package browser

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTrackerCountsDemoSite loads the demo site, whose tracker slot holds the one
// script tag, in a real browser: its page view and a custom event sent with
// candor('event', …) reach the aggregator (Candor's own count of accepted hits, on
// /metrics, rises by two), with no console error, no CSP violation, no request to
// another host, and no cookie set.
func TestTrackerCountsDemoSite(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t)
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL}
	before := acceptedHits(t, srv.URL)
	b.open("/")
	if n := b.count(`[data-slot="tracker"] script[src="/tracker.js"]`); n != 1 {
		t.Fatalf("the tracker slot holds %d tracker scripts, want 1", n)
	}
	waitHits(t, srv.URL, before+1)
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`candor('event', 'download', {file: 'netpeek.dmg'}); true`)); err != nil {
		t.Fatal(err)
	}
	cookies, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie`))
	if err != nil {
		t.Fatal(err)
	}
	waitHits(t, srv.URL, before+2)
	if cookies != "" {
		t.Errorf("the demo site has cookies after the tracker ran: %q", cookies)
	}
	rec.check(t, srv.Host, "demo site with tracker")
}

func waitHits(t *testing.T, base string, want int) {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		got := acceptedHits(t, base)
		if got >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("accepted statistics hits: %d, want %d", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// acceptedHits reads candor_stats_hits_total{outcome="accepted"} from /metrics.
func acceptedHits(t *testing.T, base string) int {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l, ok := strings.CutPrefix(sc.Text(), `candor_stats_hits_total{outcome="accepted"} `); ok {
			n, _ := strconv.ParseFloat(l, 64)
			return int(n)
		}
	}
	return 0
}
