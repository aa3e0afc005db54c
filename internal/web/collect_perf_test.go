package web

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/errs"
)

// oneSite is a SiteFinder knowing one domain (the benchmark measures the handler, not
// the site cache).
type oneSite struct{ s analytics.Site }

func (o oneSite) ByDomain(_ context.Context, d string) (analytics.Site, error) {
	if d == o.s.Domain {
		return o.s, nil
	}
	return analytics.Site{}, errs.E(errs.NotFound, "")
}

// BenchmarkCollectHandler posts beacons through the whole server handler (every
// middleware, the real aggregator, no storage), as bench/collect.sh does over HTTP:
//
//	go test ./internal/web -run '^$' -bench CollectHandler -cpuprofile /tmp/cpu.out
func BenchmarkCollectHandler(b *testing.B) {
	srv, agg := benchCollectServer(b)
	const ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	bodies := make([][]byte, 1000)
	for i := range bodies {
		bodies[i] = fmt.Appendf(nil, `{"site":"127.0.0.1","path":"/page/%d","referrer":"https://search.example/","width":1280,"lang":"en-GB"}`, i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		req := httptest.NewRequest("POST", "/collect", bytes.NewReader(bodies[n%1000]))
		req.RemoteAddr = "127.0.0.1:40000"
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		req.Header.Set("User-Agent", ua)
		a := n % 50_000 // a pool the per-address limiter can hold (it tracks at most 100,000)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", a>>16&255, a>>8&255, a&255))
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusNoContent {
			b.Fatalf("status %d: %s", w.Code, strings.TrimSpace(w.Body.String()))
		}
	}
	b.StopTimer()
	// Every hit counted: the per-address limit (on, as in production; 50,000 addresses,
	// each well under its limit) dropped none.
	if acc, _, _ := agg.Counts(); acc != int64(b.N) {
		b.Fatalf("the aggregator accepted %d of %d hits", acc, b.N)
	}
}

// benchCollectServer is the whole server handler over the real aggregator (no storage),
// trusting 127.0.0.1 as a proxy, with the extra flags given.
func benchCollectServer(b *testing.B, extra ...string) (*Server, *analytics.Aggregator) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags := config.Register(fs)
	if err := fs.Parse(append([]string{"--data-dir", b.TempDir(), "--trusted-proxy", "127.0.0.1/32"}, extra...)); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(flags, func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	agg := analytics.NewAggregator(nil, analytics.Options{MaxPending: 1 << 30, MaxVisits: 1 << 30})
	srv, err := NewServer(Deps{
		Config: cfg, Stats: agg, Sites: oneSite{analytics.Site{ID: 1, Name: "local", Domain: "127.0.0.1"}},
		Log: slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		b.Fatal(err)
	}
	return srv, agg
}

// decodeBeaconSlow is decodeBeacon's encoding/json path alone.
func decodeBeaconSlow(body []byte) (beacon, bool) {
	var b beacon
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return beacon{}, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return beacon{}, false
	}
	return b, true
}

var fastBeaconSeeds = []string{
	`{"site":"example.com","path":"/page/1","referrer":"https://search.example/","width":1280,"lang":"en-GB"}`,
	`{"site":"example.com","kind":"event","event":"download","utm_source":"x","utm_medium":"y","utm_campaign":"z"}`,
	` { "site" : "a" , "width" : -0 } `, "{\t\"site\":\"a\"\r\n}", `{}`, `{"site":"a","site":"b"}`,
	`{"site":"a","width":01}`, `{"site":"a","width":1.5}`, `{"site":"a","width":1e3}`, `{"site":"a","width":-}`,
	`{"site":"a","width":1234567890}`, `{"site":"a","width":null}`, `{"site":null}`, `{"Site":"a"}`,
	`{"site":"a\"b"}`, `{"site":"a\u0041"}`, "{\"site\":\"a\x01\"}", "{\"site\":\"\xff\"}", `{"site":"é✓"}`,
	`{"site":"a",}`, `{"site":"a"}x`, `{"site":"a"}{}`, `{"site":"a"`, `{"site"}`, `{"site":1}`, `[]`, ``, ` `,
	`{"site":"a","props":{"k":"v"}}`, `{"site":"a","other":"b"}`, `{"site":"a" "path":"b"}`, `{,}`,
	`{"width":2147483647}`, `{"width":-100001}`, `{"path":"/x?y=1&z=2#h"}`,
}

// TestDecodeBeaconFastAgrees checks that whatever the fast decoder accepts, encoding/json
// (with unknown fields refused, no trailing data) decodes to the same beacon.
func TestDecodeBeaconFastAgrees(t *testing.T) {
	check := func(in []byte) {
		fast, ok := decodeBeaconFast(in)
		if !ok {
			return
		}
		slow, sok := decodeBeaconSlow(in)
		if !sok || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: fast %+v, encoding/json %+v (ok %v)", in, fast, slow, sok)
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("{}[]\":,\\ \t\n01-9.eE\x00\x1f\xc3\xa9\xffsiteathwdk")
	for _, s := range fastBeaconSeeds {
		check([]byte(s))
		for range 2000 { // mutations: replace, insert or delete a byte
			m := []byte(s)
			for range 1 + rnd.IntN(3) {
				p := rnd.IntN(len(m) + 1)
				switch c := alphabet[rnd.IntN(len(alphabet))]; rnd.IntN(3) {
				case 0:
					if p < len(m) {
						m[p] = c
					}
				case 1:
					m = append(m[:p], append([]byte{c}, m[p:]...)...)
				default:
					if p < len(m) {
						m = append(m[:p], m[p+1:]...)
					}
				}
			}
			check(m)
		}
	}
	if _, ok := decodeBeaconFast([]byte(fastBeaconSeeds[0])); !ok {
		t.Fatal("the tracker's beacon does not take the fast path")
	}
}

func FuzzDecodeBeaconFast(f *testing.F) {
	for _, s := range fastBeaconSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fast, ok := decodeBeaconFast(in)
		if !ok {
			return
		}
		if slow, sok := decodeBeaconSlow(in); !sok || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: fast %+v, encoding/json %+v (ok %v)", in, fast, slow, sok)
		}
	})
}
