// Command signin is a load generator for POST /admin/login: it signs in n times with
// concurrency c against a running Candor and prints p50/p90/p99 and the rate.
//
//	go run ./bench/signin -url http://127.0.0.1:8080 -email E -password P -n 200 -c 2
//
// Note: the server throttles 20 attempts per minute per client IP; run it against a
// server on loopback with --trusted-proxy 127.0.0.1/32 so that the X-Forwarded-For
// this tool sends (a different documentation address per request) spreads the attempts.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/candor-dev/candor/bench/internal/latency"
	"github.com/candor-dev/candor/bench/internal/loadgen"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "Candor's base URL")
	email := flag.String("email", "", "staff email")
	password := flag.String("password", "", "staff password")
	n := flag.Int("n", 200, "sign-ins")
	c := flag.Int("c", 2, "concurrent clients")
	flag.Parse()
	client := loadgen.NoRedirects()
	form := url.Values{"email": {*email}, "password": {*password}}
	var mu sync.Mutex
	var lat []time.Duration
	failures := 0
	total := loadgen.Parallel(*n, *c, func(i int) {
		res, d, err := loadgen.PostForm(client, *base+"/admin/login", fmt.Sprintf("198.51.100.%d", i%250+1), form)
		mu.Lock()
		defer mu.Unlock()
		if err != nil || res.StatusCode != http.StatusSeeOther {
			failures++
			return
		}
		lat = append(lat, d)
	})
	if len(lat) == 0 {
		fmt.Fprintln(os.Stderr, "every sign-in failed; check -email/-password and --trusted-proxy")
		os.Exit(1)
	}
	fmt.Printf("sign-ins: %d ok, %d failed, concurrency %d\n", len(lat), failures, *c)
	fmt.Printf("latency %s\n", latency.Summary(lat))
	fmt.Printf("rate %.1f sign-ins/s\n", float64(len(lat))/total.Seconds())
}
