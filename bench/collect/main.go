// Command collect is the load generator of bench/collect.sh: it measures page views per
// second accepted (204) by Candor's POST /collect beside a plain net/http handler that
// answers 204 under the same load, in turns of one-second slices in the same run.
//
//	collect -serve-baseline 127.0.0.1:18091         # the plain handler, in its own process
//	collect -candor URL -baseline URL -c 64 -d 10s  # the load
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36"

func main() {
	serve := flag.String("serve-baseline", "", "serve the plain 204 handler on this address and do nothing else")
	candor := flag.String("candor", "", "Candor's base URL")
	baseline := flag.String("baseline", "", "the plain handler's base URL")
	site := flag.String("site", "127.0.0.1", "the registered site's domain")
	conns := flag.Int("c", 64, "keep-alive connections")
	dur := flag.Duration("d", 10*time.Second, "duration of each measurement")
	slice := flag.Duration("slice", time.Second, "the two measurements alternate in slices this long")
	flag.Parse()
	if *serve != "" {
		log.Fatal(http.ListenAndServe(*serve, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		})))
	}
	base, cand := alternate(*baseline+"/collect", *candor+"/collect", *site, *conns, *dur, *slice)
	fmt.Printf("plain net/http 204: %8.0f req/s (%d errors)\n", base.rate, base.errors)
	fmt.Printf("POST /collect:      %8.0f page views/s accepted (%d not 204)\n", cand.rate, cand.errors)
	fmt.Printf("ratio:              %8.1f %%\n", 100*cand.rate/base.rate)
	fmt.Printf("sent to Candor:     %d accepted; Candor counted %s\n", cand.ok, accepted(*candor))
}

type result struct {
	ok, errors int64
	rate       float64
}

// alternate measures the baseline and Candor in turns of one slice each until each has
// had d, so that both see the same load from whatever else runs on the machine (a
// measurement of one after the other lets a spike fall on one side only).
func alternate(baseURL, candURL, site string, conns int, d, slice time.Duration) (base, cand result) {
	bc, cc := newClient(conns), newClient(conns)
	var bt, ct time.Duration
	seq := make([]int, conns) // each connection's next visitor, across slices
	for left := d; left > 0; left -= slice {
		s := min(slice, left)
		bt += load(bc, baseURL, site, conns, s, seq, &base)
		ct += load(cc, candURL, site, conns, s, seq, &cand)
	}
	base.rate, cand.rate = float64(base.ok)/bt.Seconds(), float64(cand.ok)/ct.Seconds()
	return base, cand
}

func newClient(conns int) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// load sends beacons over conns keep-alive connections for d, adding to res, and returns
// the time it took: 1,000 distinct pages, visitors varied by X-Forwarded-For (the server
// trusts 127.0.0.1 as a proxy), connection g continuing from seq[g].
func load(client *http.Client, url, site string, conns int, d time.Duration, seq []int, res *result) time.Duration {
	var ok, bad atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for g := range conns {
		wg.Go(func() {
			for ; ctx.Err() == nil; seq[g]++ {
				n := g*1_000_003 + seq[g]
				body := fmt.Sprintf(`{"site":%q,"path":"/page/%d","referrer":"https://search.example/","width":1280,"lang":"en-GB"}`, site, n%1000)
				req, _ := http.NewRequest("POST", url, strings.NewReader(body))
				req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
				req.Header.Set("User-Agent", ua)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
				res, err := client.Do(req)
				if err != nil {
					bad.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusNoContent {
					ok.Add(1)
				} else {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	res.ok += ok.Load()
	res.errors += bad.Load()
	return time.Since(start)
}

// accepted reads Candor's own count of accepted hits from /metrics.
func accepted(base string) string {
	res, err := http.Get(base + "/metrics")
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
