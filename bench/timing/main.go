// Command timing measures whether the public forms' answer time tells anything their
// answer does not: it posts /subscribe for addresses that signed up moments ago
// ("known") and for new ones, and /orders/find for addresses that bought something
// ("buyer") and for others, n of each kind in one shuffled order, one request at a time,
// through the real forms (the anti-bot challenge solved as a browser does), and prints
// the two medians of each pair side by side with their ratio.
//
//	go run ./bench/timing -url http://127.0.0.1:18083 -n 30
//
// Run it against `candor serve --demo --trusted-proxy 127.0.0.1/32` with a low
// --antibot-difficulty (bench/timing.sh does): each request carries its own
// X-Forwarded-For so that no per-client limit throttles the run. The medians are noisy
// on a shared machine: compare the ratio, and run it more than once.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/antibot"

	"github.com/candor-dev/candor/bench/internal/latency"
	"github.com/candor-dev/candor/bench/internal/loadgen"
)

// kinds are the four kinds of request, in the pairs the report compares.
var kinds = []string{"subscribe known", "subscribe new", "orders/find buyer", "orders/find other"}

func main() {
	base := flag.String("url", "http://127.0.0.1:18083", "Candor's base URL")
	product := flag.String("product", "netscan-pro/personal", "PRODUCT/EDITION the buyers buy")
	n := flag.Int("n", 30, "requests of each kind")
	flag.Parse()
	client := loadgen.NoRedirects()
	client.Jar, _ = cookiejar.New(nil) // the checkout cookie binds the pay page to the buyer
	run := time.Now().UnixNano()
	addr := func(kind string, i int) string { return fmt.Sprintf("%s-%d-%d@example.com", kind, run, i) }
	ip := func(k, i int) string { return fmt.Sprintf("198.18.%d.%d", k, i+1) }

	// Set up: the known subscribers sign up, the buyers buy and pay.
	known := make([]url.Values, *n)
	for i := range known {
		known[i] = solved(client, *base, addr("known", i))
	}
	time.Sleep(antibotWait + 100*time.Millisecond)
	for i := range *n {
		mustStatus(loadgen.PostForm(client, *base+"/subscribe", ip(10, i), known[i]))(http.StatusSeeOther)
		res, _, err := loadgen.PostForm(client, *base+"/buy/"+*product, ip(11, i), url.Values{"action": {"continue"}, "name": {"Timing Buyer"},
			"email": {addr("buyer", i)}, "country": {"DE"}, "quantity": {"1"}, "currency": {"EUR"}})
		mustStatus(res, 0, err)(http.StatusSeeOther)
		res, _, err = loadgen.PostForm(client, *base+res.Header.Get("Location"), ip(11, i), url.Values{"card_number": {"4242 4242 4242 4242"}, "card_exp": {"12/34"}, "card_cvc": {"987"}},
			"X-Forwarded-Proto", "https") // card fields only over TLS (the trusted proxy's word)
		mustStatus(res, 0, err)(http.StatusSeeOther)
	}
	// The measured requests, their forms ready (challenges solved) before any is timed.
	type request struct {
		kind, i int
		path    string
		form    url.Values
	}
	var reqs []request
	for i := range *n {
		reqs = append(reqs,
			request{0, i, "/subscribe", solved(client, *base, addr("known", i))},
			request{1, i, "/subscribe", solved(client, *base, addr("new", i))},
			request{2, i, "/orders/find", url.Values{"email": {addr("buyer", i)}}},
			request{3, i, "/orders/find", url.Values{"email": {addr("other", i)}}})
	}
	time.Sleep(antibotWait + 100*time.Millisecond)
	rand.Shuffle(len(reqs), func(a, b int) { reqs[a], reqs[b] = reqs[b], reqs[a] })
	lat := make([][]time.Duration, len(kinds))
	for _, q := range reqs {
		res, d, err := loadgen.PostForm(client, *base+q.path, ip(20+q.kind, q.i), q.form)
		mustStatus(res, d, err)(http.StatusSeeOther) // to the "thank you" page, for every kind
		lat[q.kind] = append(lat[q.kind], d)
	}
	fmt.Printf("n=%d of each kind, one at a time, shuffled\n", *n)
	for k := 0; k < len(kinds); k += 2 {
		a, b := latency.At(lat[k], .5), latency.At(lat[k+1], .5)
		fmt.Printf("%-18s median %-9v  %-18s median %-9v  ratio %.2f\n", kinds[k], a, kinds[k+1], b, float64(a)/float64(b))
	}
}

// antibotWait is the longest time trap a challenge asked for (the answers must wait it).
var antibotWait time.Duration

// solved fetches and solves a subscribe challenge and returns the form for email; it
// may be posted once antibotWait has passed.
func solved(client *http.Client, base, email string) url.Values {
	res, err := client.Get(base + "/antibot/challenge?form=subscribe")
	if err != nil {
		fail(err)
	}
	defer res.Body.Close()
	var ch antibot.Challenge
	if err := json.NewDecoder(res.Body).Decode(&ch); err != nil {
		fail(err)
	}
	nonce, err := antibot.Solve(ch.PoW)
	if err != nil {
		fail(err)
	}
	antibotWait = max(antibotWait, time.Duration(ch.MinWaitMS)*time.Millisecond)
	return url.Values{"email": {email}, "name": {"Timing Reader"}, "consent": {"1"},
		antibot.FieldTime: {ch.TimeToken}, antibot.FieldChallenge: {ch.PoW}, antibot.FieldNonce: {nonce}}
}

// mustStatus stops the run when an answer is not the expected one.
func mustStatus(res *http.Response, _ time.Duration, err error) func(int) {
	return func(want int) {
		if err != nil {
			fail(err)
		}
		if res.StatusCode != want {
			fail(fmt.Errorf("%s %s: %d, want %d", res.Request.Method, res.Request.URL.Path, res.StatusCode, want))
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "timing bench:", strings.TrimSpace(err.Error()))
	os.Exit(1)
}
