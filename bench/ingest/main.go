// Command ingest generates a realistic combined-format access log for benchmarking
// `candor ingest-log` against GoAccess (see docs/performance.md, "Access-log ingestion").
//
//	go run ./bench/ingest -lines 1000000 -o /tmp/access.log
//
// The mix: 1,000 pages with a long-tailed popularity, each page view followed by a few
// static assets, about 10 % bot traffic, 3 % 404s, some redirects, POSTs and
// /robots.txt, 20,000 visitors (IPv4 and IPv6) over a week. The output is deterministic
// for a given -seed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

var agents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
	"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
}

var bots = []string{
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
	"curl/8.5.0",
	"python-requests/2.31.0",
}

var referrers = []string{"-", "-", "-", "https://www.google.com/", "https://duckduckgo.com/", "https://news.ycombinator.com/",
	"https://t.co/abc", "https://www.example.com/", "https://www.example.com/blog/", "android-app://com.slack/"}

var assets = []string{"/static/app.css", "/static/app.js", "/static/logo.svg", "/static/hero.jpg", "/favicon.ico",
	"/static/font.woff2", "/static/chart.png"}

func main() {
	lines := flag.Int("lines", 1_000_000, "lines to write")
	out := flag.String("o", "access.log", "output file")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(*seed, 2))
	zipf := rand.NewZipf(r, 1.1, 1, 999)
	t := time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("", 3600))
	step := 7 * 24 * time.Hour / time.Duration(*lines)
	ip := func(v int) string {
		if v%7 == 0 {
			return fmt.Sprintf("2001:db8:%x::%x", v>>8, v&0xff)
		}
		return fmt.Sprintf("%d.%d.%d.%d", 10+v%200, (v>>3)&0xff, (v>>7)&0xff, 1+v%250)
	}
	write := func(host, method, path string, status, size int, ref, ua string) {
		fmt.Fprintf(w, "%s - - [%s] \"%s %s HTTP/1.1\" %d %d \"%s\" \"%s\"\n",
			host, t.Format("02/Jan/2006:15:04:05 -0700"), method, path, status, size, ref, ua)
	}
	for n := 0; n < *lines; {
		t = t.Add(step * time.Duration(1+r.IntN(2)))
		v := r.IntN(20_000)
		host := ip(v)
		if r.IntN(10) == 0 { // bots crawl pages
			write(host, "GET", fmt.Sprintf("/page/%d", zipf.Uint64()), 200, 5000+r.IntN(20000), "-", bots[r.IntN(len(bots))])
			n++
			continue
		}
		ua := agents[v%len(agents)]
		path := fmt.Sprintf("/page/%d", zipf.Uint64())
		status := 200
		switch k := r.IntN(100); {
		case k < 3:
			status, path = 404, fmt.Sprintf("/missing/%d", r.IntN(5000))
		case k < 5:
			status = 301
		case k < 6:
			status = 304
		case k < 7:
			path += "?utm_source=newsletter&utm_medium=email&utm_campaign=nov"
		case k < 8:
			write(host, "POST", "/contact", 303, 0, "https://www.example.com/contact", ua)
			n++
			continue
		case k < 9:
			path = "/robots.txt"
		}
		write(host, "GET", path, status, 3000+r.IntN(30000), referrers[r.IntN(len(referrers))], ua)
		n++
		for a := r.IntN(4); a > 0 && n < *lines; a-- {
			write(host, "GET", assets[r.IntN(len(assets))], 200, 1000+r.IntN(90000), "https://www.example.com"+path, ua)
			n++
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
