// Package mix generates the realistic traffic mix of bench/collect: 20,000 visitors a
// round from public IPv4 addresses (sent as X-Forwarded-For), each with one of 177
// browser user agents (testdata/agents) or, for 3 % of them, a crawler or HTTP library
// (testdata/bots); 500 paths with Zipf(1.1) popularity; 45 % of page views with a
// referrer (search engines, social networks, other sites, the site itself) and 6 % with
// UTM tags. It is deterministic for a seed, so that two runs send the same hits.
package mix

import (
	_ "embed"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
)

//go:embed testdata/agents
var agentsFile string

//go:embed testdata/bots
var botsFile string

// The shape of the mix.
const (
	Visitors = 20_000 // visitors a round
	Paths    = 500    // distinct pages
	Zipf     = 1.1    // the exponent of the pages' popularity
	BotShare = 0.03   // visitors that are crawlers or HTTP libraries
	RefShare = 0.45   // page views with a referrer
	UTMShare = 0.06   // page views with UTM tags
)

// Agents is the list of browser user agents, Bots the crawlers and libraries.
var Agents, Bots = lines(agentsFile), lines(botsFile)

func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// Visitor is one simulated visitor: an address, a user agent, a language and a screen.
type Visitor struct {
	IP    string
	Agent string
	Bot   bool
	Lang  string
	Width int
}

// Hit is one page view of the mix.
type Hit struct {
	V        *Visitor
	Path     string // with the UTM query when UTM is set
	Referrer string
	UTM      [3]string // source, medium, campaign; empty without UTM
}

// Mix draws hits; it is not safe for concurrent use (give each goroutine its own, from
// the same Round).
type Mix struct {
	round *Round
	r     *rand.Rand
	zipf  *rand.Zipf
}

// Round is the fixed part of a round: its visitors and pages.
type Round struct {
	Visitors []Visitor
	Paths    []string
}

// NewRound draws a round's visitors and pages from seed.
func NewRound(seed uint64) *Round {
	r := rand.New(rand.NewPCG(seed, 0x636f6c6c656374))
	rd := &Round{Visitors: make([]Visitor, Visitors), Paths: paths()}
	langs := []string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "nl-NL", "pt-BR", "it-IT", "pl-PL", "ja-JP", "sv-SE", "en"}
	widths := []int{390, 412, 430, 768, 1280, 1366, 1440, 1536, 1920, 2560}
	for i := range rd.Visitors {
		v := &rd.Visitors[i]
		v.IP = PublicIPv4(r).String()
		if r.Float64() < BotShare {
			v.Agent, v.Bot = Bots[r.IntN(len(Bots))], true
		} else {
			v.Agent = Agents[r.IntN(len(Agents))]
		}
		v.Lang, v.Width = langs[r.IntN(len(langs))], widths[r.IntN(len(widths))]
	}
	return rd
}

// paths names the site's 500 pages, the most popular first.
func paths() []string {
	ps := []string{"/", "/pricing", "/about", "/blog/", "/docs/", "/contact", "/features", "/download"}
	sections := []string{"blog", "docs", "guides", "changelog", "help"}
	for i := 0; len(ps) < Paths; i++ {
		ps = append(ps, fmt.Sprintf("/%s/topic-%d-%s", sections[i%len(sections)], i, []string{"intro", "setup", "faq", "release-notes", "howto"}[i/len(sections)%5]))
	}
	return ps
}

// New returns a generator of hits over round, seeded by seed.
func (rd *Round) New(seed uint64) *Mix {
	r := rand.New(rand.NewPCG(seed, 0x6869747300))
	return &Mix{round: rd, r: r, zipf: rand.NewZipf(r, Zipf, 1, Paths-1)}
}

// Search engines, social networks and other referring sites.
var (
	search = []string{"https://www.google.com/", "https://www.google.de/", "https://www.google.co.uk/", "https://www.bing.com/",
		"https://duckduckgo.com/", "https://search.brave.com/", "https://www.ecosia.org/", "https://yandex.ru/", "https://www.qwant.com/",
		"https://search.yahoo.com/", "https://www.startpage.com/"}
	social = []string{"https://t.co/", "https://www.facebook.com/", "https://l.facebook.com/", "https://www.linkedin.com/",
		"https://lnkd.in/", "https://www.reddit.com/", "https://old.reddit.com/r/selfhosted/", "https://news.ycombinator.com/",
		"https://mastodon.social/", "https://www.instagram.com/", "https://www.youtube.com/", "https://bsky.app/"}
	campaigns = [][3]string{{"newsletter", "email", "december-digest"}, {"newsletter", "email", "launch"},
		{"twitter", "social", "launch"}, {"linkedin", "social", "hiring"}, {"google", "cpc", "brand"}, {"partner-blog", "referral", "review"}}
)

// Next draws the next hit.
func (m *Mix) Next() Hit {
	rd, r := m.round, m.r
	h := Hit{V: &rd.Visitors[r.IntN(len(rd.Visitors))], Path: rd.Paths[m.zipf.Uint64()]}
	if r.Float64() < RefShare {
		switch x := r.Float64(); {
		case x < 0.50:
			h.Referrer = search[r.IntN(len(search))]
		case x < 0.70:
			h.Referrer = social[r.IntN(len(social))]
		case x < 0.85: // the site itself (internal)
			h.Referrer = "http://127.0.0.1" + rd.Paths[m.zipf.Uint64()]
		default: // 300 other sites, a page of each
			n := r.IntN(300)
			h.Referrer = fmt.Sprintf("https://site%d.example.%s/post/%d", n, []string{"com", "org", "net", "io", "dev"}[n%5], r.IntN(50))
		}
	}
	if r.Float64() < UTMShare {
		h.UTM = campaigns[r.IntN(len(campaigns))]
		h.Path += "?utm_source=" + h.UTM[0] + "&utm_medium=" + h.UTM[1] + "&utm_campaign=" + h.UTM[2]
	}
	return h
}

// reserved are the IPv4 ranges that are not public unicast (RFC 6890 and multicast).
var reserved = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24",
		"192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3"} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// PublicIPv4 draws a public unicast IPv4 address: never private, loopback, link-local,
// shared, documentation, benchmarking, multicast or reserved.
func PublicIPv4(r *rand.Rand) netip.Addr {
	for {
		u := r.Uint32()
		a := netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})
		if IsPublic(a) {
			return a
		}
	}
}

// IsPublic reports whether a is outside every reserved IPv4 range.
func IsPublic(a netip.Addr) bool {
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return a.Is4() && a.IsGlobalUnicast()
}
