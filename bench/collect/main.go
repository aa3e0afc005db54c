// Command collect is the load generator of bench/collect.sh: it measures hits per second
// accepted by Candor's POST /collect and GET /pixel.gif beside a plain net/http handler
// that answers 204 under the same load, in turns of one-second slices in the same run.
//
//	collect -serve-baseline 127.0.0.1:18091         # the plain handler, in its own process
//	collect -candor URL -baseline URL -c 64 -d 10s  # the load
//
// By default every hit comes from the realistic traffic mix of package mix (20,000
// visitors from public IPv4s, 177 browser user agents and 3 % bots, 500 Zipf pages,
// referrers, UTM tags); -traffic one-agent sends the older load (one Chrome user agent,
// 1,000 pages, a new visitor every hit). -modes lists the measurements, each against the
// plain handler in the same connection mode: collect and pixel over keep-alive
// connections, collect-close and pixel-close with a new connection per hit.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	serve := flag.String("serve-baseline", "", "serve the plain 204 handler on this address and do nothing else")
	candor := flag.String("candor", "", "Candor's base URL")
	baseline := flag.String("baseline", "", "the plain handler's base URL")
	site := flag.String("site", "127.0.0.1", "the registered site's domain")
	conns := flag.Int("c", 64, "connections")
	dur := flag.Duration("d", 10*time.Second, "duration of each measurement")
	slice := flag.Duration("slice", time.Second, "the two sides alternate in slices this long")
	traffic := flag.String("traffic", "mix", "mix (the realistic mix) or one-agent (one Chrome user agent, 1,000 pages)")
	modes := flag.String("modes", "collect,pixel,pixel-close", "measurements: collect, pixel, collect-close, pixel-close")
	seed := flag.Uint64("seed", 1, "the mix's seed")
	flag.Parse()
	if *serve != "" {
		log.Fatal(http.ListenAndServe(*serve, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		})))
	}
	if *traffic != "mix" && *traffic != "one-agent" {
		log.Fatalf("-traffic %q: want mix or one-agent", *traffic)
	}
	fmt.Printf("traffic: %s, %d connections, %v per side and mode, %s\n", *traffic, *conns, *dur, time.Now().UTC().Format(time.RFC3339))
	var stored int64
	for m := range strings.SplitSeq(*modes, ",") {
		md, ok := parseMode(m)
		if !ok {
			log.Fatalf("-modes: unknown %q", m)
		}
		g := newGen(*traffic, *site, *seed, *conns)
		base, cand := alternate(g, md, *baseline, *candor, *conns, *dur, *slice)
		fmt.Printf("%-14s plain 204 %8.0f req/s (%d errors) | Candor %8.0f hits/s (%d failed) | ratio %5.1f %%\n",
			m+":", base.rate, base.errors, cand.rate, cand.errors, 100*cand.rate/base.rate)
		stored += cand.ok - cand.bots
	}
	fmt.Printf("sent to Candor:     %d accepted from browsers; Candor counted %s\n", stored, accepted(*candor))
}

// mode is one measurement: the endpoint and whether connections are kept alive.
type mode struct {
	pixel, close bool
}

func parseMode(s string) (mode, bool) {
	switch s {
	case "collect":
		return mode{}, true
	case "pixel":
		return mode{pixel: true}, true
	case "collect-close":
		return mode{close: true}, true
	case "pixel-close":
		return mode{pixel: true, close: true}, true
	}
	return mode{}, false
}

// accepted reads Candor's own count of accepted hits from /metrics, with the bearer
// token of CANDOR_METRICS_TOKEN (bench/collect.sh sets it: /metrics refuses a request
// that came through a trusted proxy, which is what the generator pretends to be).
func accepted(base string) string {
	req, err := http.NewRequest("GET", base+"/metrics", nil)
	if err != nil {
		return "?"
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("CANDOR_METRICS_TOKEN"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "?"
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, `candor_stats_hits_total{outcome="accepted"}`) {
			return strings.Fields(l)[1]
		}
	}
	return "none"
}
