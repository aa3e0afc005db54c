// Command subscribe is a load generator for POST /subscribe: it fetches anti-bot
// challenges, waits out the time trap, solves them (cheaply when the server runs with a
// low --antibot-difficulty: the proof-of-work is the browser's cost, not the server's),
// then posts n sign-ups with concurrency c and prints p50/p99 and the sustained rate.
// The server answers before the sign-up is stored (it is stored right after, so that the
// answer time does not tell a known address from a new one): the rate is of answers.
//
//	go run ./bench/subscribe -url http://127.0.0.1:18081 -n 20000 -c 32
//
// Run the server with --trusted-proxy 127.0.0.1/32: each request carries a different
// X-Forwarded-For so that the per-IP limit (10 a minute) does not throttle the run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/candor-dev/candor/internal/antibot"

	"github.com/candor-dev/candor/bench/internal/latency"
	"github.com/candor-dev/candor/bench/internal/loadgen"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18081", "Candor's base URL")
	n := flag.Int("n", 20000, "sign-ups")
	c := flag.Int("c", 32, "concurrent clients")
	flag.Parse()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c}}
	run := time.Now().UnixNano()

	forms := make([]url.Values, *n)
	var minWait int64
	loadgen.Parallel(*n, *c, func(i int) {
		resp, err := client.Get(*base + "/antibot/challenge?form=subscribe")
		if err != nil {
			fail(err)
		}
		var ch antibot.Challenge
		if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
			fail(err)
		}
		resp.Body.Close()
		nonce, err := antibot.Solve(ch.PoW)
		if err != nil {
			fail(err)
		}
		atomic.StoreInt64(&minWait, ch.MinWaitMS)
		forms[i] = url.Values{
			"email": {fmt.Sprintf("bench-%d-%d@example.com", run, i)}, "name": {"Bench Reader"},
			antibot.FieldTime: {ch.TimeToken}, antibot.FieldChallenge: {ch.PoW}, antibot.FieldNonce: {nonce},
		}
	})
	time.Sleep(time.Duration(minWait)*time.Millisecond + 100*time.Millisecond)

	lat := make([]time.Duration, *n)
	var failed atomic.Int64
	total := loadgen.Parallel(*n, *c, func(i int) {
		resp, d, err := loadgen.PostForm(client, *base+"/subscribe", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255),
			forms[i], "Accept", "application/json")
		lat[i] = d
		if err != nil || resp.StatusCode != http.StatusOK {
			failed.Add(1)
			lat[i] = -1
		}
	})
	ok := slices.DeleteFunc(lat, func(d time.Duration) bool { return d < 0 })
	if len(ok) == 0 {
		fail(fmt.Errorf("every sign-up failed"))
	}
	fmt.Printf("sign-ups: %d ok, %d failed, concurrency %d, %v\n", len(ok), failed.Load(), *c, total.Round(time.Millisecond))
	fmt.Printf("latency p50 %v  p99 %v  max %v\n", latency.At(ok, .5), latency.At(ok, .99), latency.At(ok, 1))
	fmt.Printf("rate %.0f answered sign-ups/s\n", float64(len(ok))/total.Seconds())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "subscribe bench:", err)
	os.Exit(1)
}
