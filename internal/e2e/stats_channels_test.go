package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
)

// channelVisit is one page view as every channel can carry it.
type channelVisit struct {
	ip, ua, path, referrer string
}

// channelVisits are six visitors: each lands on / from a search engine with a campaign
// in the URL and goes on to /pricing; one of them also reads a third page.
func channelVisits(domain string) []channelVisit {
	uas := []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	}
	ips := []string{"8.8.8.8", "81.2.69.160", "157.157.0.1", "8.8.4.4", "81.2.69.161", "130.208.0.1"}
	var out []channelVisit
	for i, ip := range ips {
		ua := uas[i%len(uas)]
		out = append(out, channelVisit{ip, ua, "/?utm_campaign=spring&utm_source=news", "https://www.google.com/search?q=candor"},
			channelVisit{ip, ua, "/pricing", "https://" + domain + "/"})
		if i == 0 {
			out = append(out, channelVisit{ip, ua, "/docs", "https://" + domain + "/pricing"})
		}
	}
	return out
}

// storedCells reads a site's stored aggregates for one day, keyed "dim value".
func storedCells(t *testing.T, db *sqldb.DB, site int64, day time.Time) map[string]string {
	t.Helper()
	aggs, err := sqldb.AnalyticsStore{DB: db}.Stats(context.Background(), site, analytics.DayOf(day), analytics.DayOf(day))
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]string{}
	for _, ag := range aggs {
		c, visitors := ag.Counters, ag.Visitors
		// Duration is excluded on purpose: beacon and pixel hits are timed on arrival at
		// the server, log lines by their own timestamps, so visit lengths differ.
		cells[ag.Dim+" "+ag.Value] = fmt.Sprintf("pageviews=%d visits=%d bounces=%d events=%d visitors=%d",
			c.Pageviews, c.Visits, c.Bounces, c.Events, visitors)
	}
	return cells
}

// Promise: a broad picture from every source alike. Beacon, pixel and log paths produce
// the same aggregates for the same visits (same IP address, user agent, path, referrer
// and day), dimension by dimension. Excluded explicitly, because a channel cannot know
// them: the screen size (only the beacon has the screen width; pixel and logs count
// "unknown"), the language (an access log has no Accept-Language), and visit duration
// (see storedCells).
func TestBeaconPixelAndLogAgree(t *testing.T) {
	in := newInstall(t)
	args := func(a ...string) []string { return append(a, in.args()...) }
	if out, err := in.candor("", nil, args("migrate")...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	sites := map[string]int64{}
	for i, name := range []string{"beacon", "pixel", "logs"} {
		if out, err := in.candor("", nil, args("sites", "add", name, "--domain", name+".example")...); err != nil {
			t.Fatalf("sites add: %v\n%s", err, out)
		}
		sites[name] = int64(i + 1)
	}
	s := in.serve("--trusted-proxy", "127.0.0.1/32")
	b := s.browser()
	send := func(req *http.Request, v channelVisit) {
		req.Header.Set("User-Agent", v.ua)
		req.Header.Set("X-Forwarded-For", v.ip)
		req.Header.Set("Accept-Language", "en-GB,en;q=0.8")
		if r := b.do(req); r.StatusCode >= 300 {
			t.Fatalf("%s %s = %d", req.Method, req.URL, r.StatusCode)
		}
	}
	for _, v := range channelVisits("beacon.example") {
		path, query, _ := strings.Cut(v.path, "?")
		q, _ := url.ParseQuery(query)
		body := fmt.Sprintf(`{"site":"beacon.example","path":%q,"referrer":%q,"width":1440,"lang":"en-GB","utm_source":%q,"utm_campaign":%q}`,
			path, v.referrer, q.Get("utm_source"), q.Get("utm_campaign"))
		req, _ := http.NewRequest(http.MethodPost, s.url+"/collect", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		send(req, v)
	}
	for _, v := range channelVisits("pixel.example") {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/pixel.gif?"+url.Values{"site": {"pixel.example"}, "path": {v.path}, "ref": {v.referrer}}.Encode(), nil)
		send(req, v)
	}
	s.stop() // flushes

	now := time.Now().UTC()
	var log strings.Builder
	for i, v := range channelVisits("logs.example") {
		fmt.Fprintf(&log, "%s - - [%s] \"GET %s HTTP/1.1\" 200 512 %q %q\n", v.ip,
			now.Add(time.Duration(i)*time.Millisecond).Format("02/Jan/2006:15:04:05 -0700"), v.path, v.referrer, v.ua)
	}
	file := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(file, []byte(log.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := in.candor("", nil, args("ingest-log", "--site", "logs", file)...); err != nil {
		t.Fatalf("ingest-log: %v\n%s", err, out)
	}

	db := in.statsDB()
	excluded := map[string]bool{analytics.DimScreen: true, analytics.DimLanguage: true}
	cells := map[string]map[string]string{}
	for name, id := range sites {
		cells[name] = storedCells(t, db, id, now)
		for k := range cells[name] {
			if dim, _, _ := strings.Cut(k, " "); excluded[dim] {
				delete(cells[name], k)
			}
		}
	}
	if got := cells["beacon"]["total "]; !strings.HasPrefix(got, "pageviews=13 visits=6 bounces=0 ") || !strings.HasSuffix(got, "visitors=6") {
		t.Fatalf("beacon totals: %q; want 13 page views by 6 visitors in 6 visits", got)
	}
	if cells["beacon"]["utm_campaign spring"] == "" || cells["beacon"]["country IS"] == "" || cells["beacon"]["source search"] == "" {
		t.Errorf("beacon lacks expected cells: %v", cells["beacon"])
	}
	for _, other := range []string{"pixel", "logs"} {
		for k, want := range cells["beacon"] {
			if got := cells[other][k]; got != want {
				t.Errorf("%s %q: %q; beacon has %q", other, k, got, want)
			}
		}
		for k, got := range cells[other] {
			if _, ok := cells["beacon"][k]; !ok {
				t.Errorf("%s has %q (%s) that the beacon lacks", other, k, got)
			}
		}
	}
}
