package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/candor-dev/candor/bench/collect/mix"
)

const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36"

// gen makes the requests of one measurement: one hit source per connection.
type gen struct {
	site  string
	mixes []*mix.Mix // per connection, for -traffic mix; nil for one-agent
	seq   []int      // per connection, for one-agent: the next visitor
}

func newGen(traffic, site string, seed uint64, conns int) *gen {
	g := &gen{site: site, seq: make([]int, conns)}
	if traffic == "mix" {
		rd := mix.NewRound(seed)
		for c := range conns {
			g.mixes = append(g.mixes, rd.New(seed<<16|uint64(c)))
		}
	}
	return g
}

// request builds connection c's next request to base in mode md; bot tells whether it
// comes from a crawler (answered 204 and not counted).
func (g *gen) request(c int, base string, md mode) (req *http.Request, bot bool) {
	var h mix.Hit
	if g.mixes == nil {
		n := c*1_000_003 + g.seq[c]
		g.seq[c]++
		h = mix.Hit{V: &mix.Visitor{IP: fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255), Agent: chrome, Lang: "en-GB", Width: 1280},
			Path: "/page/" + strconv.Itoa(n%1000), Referrer: "https://search.example/"}
	} else {
		h = g.mixes[c].Next()
	}
	if md.pixel {
		u := base + "/pixel.gif?site=" + url.QueryEscape(g.site) + "&path=" + url.QueryEscape(h.Path)
		if h.Referrer != "" {
			u += "&ref=" + url.QueryEscape(h.Referrer)
		}
		req, _ = http.NewRequest("GET", u, nil)
	} else {
		path, _, _ := strings.Cut(h.Path, "?")
		body := fmt.Sprintf(`{"site":%q,"path":%q,"referrer":%q,"width":%d,"lang":%q`, g.site, path, h.Referrer, h.V.Width, h.V.Lang)
		if h.UTM[0] != "" {
			body += fmt.Sprintf(`,"utm_source":%q,"utm_medium":%q,"utm_campaign":%q`, h.UTM[0], h.UTM[1], h.UTM[2])
		}
		req, _ = http.NewRequest("POST", base+"/collect", strings.NewReader(body+"}"))
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	}
	req.Header.Set("User-Agent", h.V.Agent)
	req.Header.Set("Accept-Language", h.V.Lang+",en;q=0.8")
	req.Header.Set("X-Forwarded-For", h.V.IP)
	return req, h.V.Bot
}

type result struct {
	ok, errors, bots int64 // bots: accepted hits from crawlers (not stored)
	rate             float64
}

// alternate measures the baseline and Candor in turns of one slice each until each has
// had d, so that both see the same load from whatever else runs on the machine (a
// measurement of one after the other lets a spike fall on one side only).
func alternate(g *gen, md mode, baseURL, candURL string, conns int, d, slice time.Duration) (base, cand result) {
	bc, cc := newClient(conns, md.close), newClient(conns, md.close)
	var bt, ct time.Duration
	for left := d; left > 0; left -= slice {
		s := min(slice, left)
		bt += load(bc, g, baseURL, md, conns, s, &base)
		ct += load(cc, g, candURL, md, conns, s, &cand)
	}
	base.rate, cand.rate = float64(base.ok)/bt.Seconds(), float64(cand.ok)/ct.Seconds()
	return base, cand
}

func newClient(conns int, close bool) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true, DisableKeepAlives: close}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// load sends hits over conns connections for d, adding to res, and returns the time it
// took. A pixel counts when answered 200, a beacon when answered 204.
func load(client *http.Client, g *gen, base string, md mode, conns int, d time.Duration, res *result) time.Duration {
	var ok, bad, bots atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for c := range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				req, bot := g.request(c, base, md)
				resp, err := client.Do(req)
				if err != nil {
					bad.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK:
					bad.Add(1)
				case bot:
					ok.Add(1)
					bots.Add(1)
				default:
					ok.Add(1)
				}
			}
		})
	}
	wg.Wait()
	res.ok += ok.Load()
	res.errors += bad.Load()
	res.bots += bots.Load()
	return time.Since(start)
}
