package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/candor-dev/candor/bench/collect/mix"
)

// BenchmarkCollectHandlerMix posts beacons and fetches pixels through the whole server
// handler under bench/collect's realistic traffic mix (20,000 visitors from public IPv4s,
// 177 browser user agents + 3 % bots, 500 Zipf pages, referrers, UTM tags), every
// other hit a pixel. The per-address limit is off, so that every hit is classified:
//
//	go test ./internal/web -run '^$' -bench CollectHandlerMix -benchmem -cpuprofile /tmp/cpu.out
func BenchmarkCollectHandlerMix(b *testing.B) {
	srv, agg := benchCollectServer(b, "--stats-ip-limit", "0")
	type hit struct {
		body      string // POST /collect's beacon
		pixel     string // GET /pixel.gif's URL
		ua, lang  string
		forwarded string
	}
	m := mix.NewRound(1).New(1)
	hits := make([]hit, 1<<14)
	for i := range hits {
		h := m.Next()
		path, _, _ := strings.Cut(h.Path, "?")
		body := fmt.Sprintf(`{"site":"127.0.0.1","path":%q,"referrer":%q,"width":%d,"lang":%q`, path, h.Referrer, h.V.Width, h.V.Lang)
		if h.UTM[0] != "" {
			body += fmt.Sprintf(`,"utm_source":%q,"utm_medium":%q,"utm_campaign":%q`, h.UTM[0], h.UTM[1], h.UTM[2])
		}
		px := "/pixel.gif?site=127.0.0.1&path=" + url.QueryEscape(h.Path)
		if h.Referrer != "" {
			px += "&ref=" + url.QueryEscape(h.Referrer)
		}
		hits[i] = hit{body + "}", px, h.V.Agent, h.V.Lang + ",en;q=0.8", h.V.IP}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		h := &hits[n%len(hits)]
		var req *http.Request
		if n%2 == 0 {
			req = httptest.NewRequest("POST", "/collect", strings.NewReader(h.body))
			req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		} else {
			req = httptest.NewRequest("GET", h.pixel, nil)
		}
		req.RemoteAddr = "127.0.0.1:40000"
		req.Header.Set("User-Agent", h.ua)
		req.Header.Set("Accept-Language", h.lang)
		req.Header.Set("X-Forwarded-For", h.forwarded)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusNoContent && w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, strings.TrimSpace(w.Body.String()))
		}
	}
	b.StopTimer()
	if acc, _, bots := agg.Counts(); acc+bots != int64(b.N) {
		b.Fatalf("the aggregator accepted %d and dropped %d bots of %d hits", acc, bots, b.N)
	}
}
