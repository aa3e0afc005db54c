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
	"strings"
	"sync"
	"time"

	"github.com/candor-dev/candor/bench/internal/latency"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "Candor's base URL")
	email := flag.String("email", "", "staff email")
	password := flag.String("password", "", "staff password")
	n := flag.Int("n", 200, "sign-ins")
	c := flag.Int("c", 2, "concurrent clients")
	flag.Parse()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {*email}, "password": {*password}}.Encode()
	var mu sync.Mutex
	var lat []time.Duration
	failures := 0
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range *c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				req, _ := http.NewRequest("POST", *base+"/admin/login", strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i%250+1))
				t0 := time.Now()
				resp, err := client.Do(req)
				d := time.Since(t0)
				mu.Lock()
				if err != nil || resp.StatusCode != http.StatusSeeOther {
					failures++
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}
	for i := range *n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	total := time.Since(start)
	if len(lat) == 0 {
		fmt.Fprintln(os.Stderr, "every sign-in failed; check -email/-password and --trusted-proxy")
		os.Exit(1)
	}
	fmt.Printf("sign-ins: %d ok, %d failed, concurrency %d\n", len(lat), failures, *c)
	fmt.Printf("latency %s\n", latency.Summary(lat))
	fmt.Printf("rate %.1f sign-ins/s\n", float64(len(lat))/total.Seconds())
}
