// Command checkout is a load generator for the shop's checkout: each iteration posts the
// checkout form (POST /buy/PRODUCT/EDITION: validation, pricing, the order row) and then
// the card form (POST /checkout/REF/pay: claim, tokenize, pay, fulfil with invoice
// number, signed licence and queued receipt, all in one transaction), and prints
// p50/p90/p99 of each step and of both together, and the rate.
//
//	go run ./bench/checkout -url http://127.0.0.1:8080 -n 500 -c 1
//
// Run it against `candor serve --demo` (test mode: the card company is the built-in
// sandbox, answering from memory in microseconds, so the time measured is Candor's own)
// with --trusted-proxy 127.0.0.1/32: the X-Forwarded-For this tool sends (a different
// documentation address per iteration) spreads the per-client checkout and card limits.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/candor-dev/candor/bench/internal/latency"
	"github.com/candor-dev/candor/bench/internal/loadgen"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "Candor's base URL")
	product := flag.String("product", "netscan-pro/personal", "PRODUCT/EDITION to buy")
	n := flag.Int("n", 500, "checkouts")
	c := flag.Int("c", 1, "concurrent buyers")
	flag.Parse()
	client := loadgen.NoRedirects()
	client.Jar, _ = cookiejar.New(nil) // the checkout cookie binds the pay page to the buyer
	var mu sync.Mutex
	var buy, pay, both []time.Duration
	failures := 0
	total := loadgen.Parallel(*n, *c, func(i int) {
		ip := fmt.Sprintf("198.51.%d.%d", i/250%250, i%250+1)
		res, d1, err := loadgen.PostForm(client, *base+"/buy/"+*product, ip, url.Values{"action": {"continue"}, "name": {"Bench Buyer"},
			"email": {fmt.Sprintf("buyer%d@example.com", i)}, "country": {"DE"}, "quantity": {"1"}, "currency": {"EUR"}})
		if err != nil || res.StatusCode != http.StatusSeeOther {
			mu.Lock()
			failures++
			mu.Unlock()
			return
		}
		res, d2, err := loadgen.PostForm(client, *base+res.Header.Get("Location"), ip, url.Values{"card_number": {"4242 4242 4242 4242"}, "card_exp": {"12/34"}, "card_cvc": {"987"}},
			"X-Forwarded-Proto", "https") // card fields only over TLS (the trusted proxy's word)
		mu.Lock()
		defer mu.Unlock()
		if err != nil || res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/orders/") {
			failures++
			return
		}
		buy, pay, both = append(buy, d1), append(pay, d2), append(both, d1+d2)
	})
	if len(both) == 0 {
		fmt.Fprintln(os.Stderr, "every checkout failed: run against `candor serve --demo --trusted-proxy 127.0.0.1/32`")
		os.Exit(1)
	}
	fmt.Printf("checkouts: %d ok, %d failed, concurrency %d\n", len(both), failures, *c)
	for _, s := range []struct {
		name string
		lat  []time.Duration
	}{{"POST /buy (order)", buy}, {"POST /checkout/…/pay", pay}, {"both", both}} {
		fmt.Printf("%-22s %s\n", s.name, latency.Summary(s.lat))
	}
	fmt.Printf("rate %.1f checkouts/s\n", float64(len(both))/total.Seconds())
}
