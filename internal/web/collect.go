package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/limiter"
)

// collector is visitor statistics' public side: POST /collect, GET /pixel.gif and the
// CORS preflight. Its fast path, POST /collect, is served by Server.ServeHTTP ahead of the
// middleware chain and does that chain's work itself (see collect), which is why it holds
// the observer (panics, metrics and logs) rather than the renderer alone.
type collector struct {
	*observer
	stats        Collector                 // the aggregator (nil: hits are dropped)
	sites        SiteFinder                // the sites whose visits are counted
	collectLimit *limiter.Limiter[addrKey] // hits per client address (nil: no limit)
}

// Visitor statistics collection (docs/collect.md): POST /collect from the tracker
// script and GET /pixel.gif from a <noscript> image. Both build one analytics.Hit in
// memory and hand it to the aggregator; nothing here writes to disk, logs a field of the
// hit, reads or sets a cookie, or answers differently for a registered and an unknown
// site (an unknown site is 204 too, so the list of sites cannot be enumerated).

// Collector receives hits; Record never blocks and reports false when its bounded
// queue is full (the hit is dropped: back-pressure, not an unbounded queue).
type Collector interface {
	Record(h analytics.Hit) bool
}

// SiteFinder finds a registered site by its domain (cached by the implementation).
type SiteFinder interface {
	ByDomain(ctx context.Context, domain string) (analytics.Site, error)
}

const (
	collectBodyLimit = 4 << 10 // the largest beacon accepted
	collectFieldCap  = 2 << 10 // bytes kept of any one text field before the classifier
)

// beacon is the JSON body of POST /collect. Unknown fields are refused.
type beacon struct {
	Site        string            `json:"site"`
	Kind        string            `json:"kind"`  // "pageview" (default) or "event"
	Event       string            `json:"event"` // the event name, for kind "event"
	Path        string            `json:"path"`
	Referrer    string            `json:"referrer"`
	Width       int               `json:"width"`
	Lang        string            `json:"lang"`
	UTMSource   string            `json:"utm_source"`
	UTMMedium   string            `json:"utm_medium"`
	UTMCampaign string            `json:"utm_campaign"`
	Props       map[string]string `json:"props"` // accepted for compatibility; not stored
}

var errBadBeacon = errs.E(errs.Invalid, "Malformed hit.")

// decodeBeacon parses one beacon strictly: one JSON object, known fields only, a site,
// a known kind, an event name exactly for events, a plausible screen width.
func decodeBeacon(body []byte) (beacon, error) {
	b, ok := decodeBeaconFast(body)
	if !ok {
		b = beacon{}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			return beacon{}, errBadBeacon
		}
		if _, err := dec.Token(); err != io.EOF {
			return beacon{}, errBadBeacon // trailing data
		}
	}
	return checkBeacon(b)
}

// decodeBeaconFast decodes the beacons the tracker sends (one flat object, the known
// keys spelt exactly, plain strings, a small integer width, no props) with no reflection
// and one allocation. It gives up (ok false) on anything else, valid or not, which
// decodeBeacon then hands to encoding/json: escapes, invalid UTF-8, control characters,
// null, props, other spellings of the keys, numbers of another form. What it accepts it
// decodes exactly as encoding/json would (TestDecodeBeaconFastAgrees).
func decodeBeaconFast(body []byte) (b beacon, ok bool) {
	if !utf8.Valid(body) {
		return beacon{}, false
	}
	src := string(body) // one copy: every field below is a substring of it
	i := skipSpace(src, 0)
	if i >= len(src) || src[i] != '{' {
		return beacon{}, false
	}
	i = skipSpace(src, i+1)
	if i < len(src) && src[i] == '}' {
		i++
	} else {
		for {
			key, j, ok := plainString(src, i)
			if !ok {
				return beacon{}, false
			}
			i = skipSpace(src, j)
			if i >= len(src) || src[i] != ':' {
				return beacon{}, false
			}
			i = skipSpace(src, i+1)
			if key == "width" {
				n, j, ok := smallInt(src, i)
				if !ok {
					return beacon{}, false
				}
				b.Width, i = n, j
			} else {
				var f *string
				switch key {
				case "site":
					f = &b.Site
				case "kind":
					f = &b.Kind
				case "event":
					f = &b.Event
				case "path":
					f = &b.Path
				case "referrer":
					f = &b.Referrer
				case "lang":
					f = &b.Lang
				case "utm_source":
					f = &b.UTMSource
				case "utm_medium":
					f = &b.UTMMedium
				case "utm_campaign":
					f = &b.UTMCampaign
				default:
					return beacon{}, false // props, an unknown key, another spelling
				}
				v, j, ok := plainString(src, i)
				if !ok {
					return beacon{}, false
				}
				*f, i = v, j
			}
			i = skipSpace(src, i)
			if i >= len(src) {
				return beacon{}, false
			}
			if src[i] == '}' {
				i++
				break
			}
			if src[i] != ',' {
				return beacon{}, false
			}
			i = skipSpace(src, i+1)
		}
	}
	if skipSpace(src, i) != len(src) {
		return beacon{}, false
	}
	return b, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// plainString reads a JSON string at s[i] that has no escape and no control character
// (s is valid UTF-8), returning its contents and the index after its closing quote.
func plainString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return s[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// smallInt reads a JSON integer of at most 9 digits (no fraction, no exponent).
func smallInt(s string, i int) (int, int, bool) {
	neg := i < len(s) && s[i] == '-'
	if neg {
		i++
	}
	start, n := i, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	digits := i - start
	if digits == 0 || digits > 9 || (digits > 1 && s[start] == '0') {
		return 0, 0, false
	}
	if i < len(s) && (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
		return 0, 0, false
	}
	if neg {
		n = -n
	}
	return n, i, true
}

// checkBeacon applies the rules of a beacon beyond its syntax.
func checkBeacon(b beacon) (beacon, error) {
	switch {
	case b.Site == "" || len(b.Site) > 253:
		return beacon{}, errBadBeacon
	case b.Kind == "":
		b.Kind = "pageview"
		fallthrough
	case b.Kind == "pageview":
		if b.Event != "" {
			return beacon{}, errBadBeacon
		}
	case b.Kind == "event":
		if b.Event == "" {
			return beacon{}, errBadBeacon
		}
	default:
		return beacon{}, errBadBeacon
	}
	if b.Width < 0 || b.Width > 100_000 || len(b.Props) > 10 {
		return beacon{}, errBadBeacon
	}
	return b, nil
}

var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// collectHit reads, checks and records the beacon of a POST /collect, and returns the
// status to answer with; it writes nothing but the cross-origin headers. ip is the
// client's address. The body is capped at collectBodyLimit, or at the configured cap
// (--max-body-bytes) if that is smaller.
func (s *collector) collectHit(w http.ResponseWriter, r *http.Request, ip netip.Addr) int {
	s.allowStatsOrigin(w.Header(), r)
	limit := min(collectBodyLimit, s.cfg.MaxBodyBytes)
	if r.ContentLength > limit {
		return http.StatusRequestEntityTooLarge
	}
	if !collectType(r.Header.Get("Content-Type")) {
		return http.StatusUnsupportedMediaType
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bodyPool.Put(buf)
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit)); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge
		}
		return http.StatusBadRequest
	}
	b, err := decodeBeacon(buf.Bytes())
	if err != nil {
		return http.StatusBadRequest
	}
	return s.record(r, ip, b.Site, analytics.Hit{
		Kind: b.Kind, Event: b.Event, Path: b.Path, Referrer: b.Referrer, Language: b.Lang,
		ScreenWidth: b.Width, UTMSource: b.UTMSource, UTMMedium: b.UTMMedium, UTMCampaign: b.UTMCampaign,
	})
}

// collectType reports whether a Content-Type is text/plain or application/json, with
// any parameters (sendBeacon sends "text/plain;charset=UTF-8"). No allocation: this is
// the hot path.
func collectType(ct string) bool {
	media, _, _ := strings.Cut(ct, ";")
	media = strings.TrimSpace(media)
	return strings.EqualFold(media, "text/plain") || strings.EqualFold(media, "application/json")
}

// collectPreflight is OPTIONS /collect, for a client that posts application/json with
// fetch in cors mode (the tracker itself sends text/plain and needs none).
func (s *collector) collectPreflight(w http.ResponseWriter, r *http.Request) {
	s.allowStatsOrigin(w.Header(), r)
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", "POST")
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
}

// pixelGIF is a 1×1 transparent GIF.
var pixelGIF = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// pixel is GET /pixel.gif?site=…&path=…&ref=…, the tracker for pages without
// JavaScript. site and path default to the Referer header's host and path (the page
// that shows the image, when its referrer policy lets the URL through); the language
// is the first of Accept-Language. It always answers the GIF, whatever happened.
func (s *collector) pixel(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	site, path := q.Get("site"), q.Get("path")
	if site == "" || path == "" { // the Referer is parsed only when it is used
		if ref, err := url.Parse(r.Header.Get("Referer")); err == nil && ref.Host != "" {
			if site == "" {
				site = ref.Hostname()
			}
			if path == "" {
				path = ref.EscapedPath()
			}
		}
	}
	if path == "" {
		path = "/"
	}
	h := analytics.Hit{Kind: "pageview", Path: path, Referrer: q.Get("ref"), Language: firstLanguage(r.Header.Get("Accept-Language"))}
	if _, query, ok := strings.Cut(path, "?"); ok && strings.Contains(query, "utm_") {
		// The campaign of a page without JavaScript is in its URL, as in an access log.
		if pq, err := url.ParseQuery(query); err == nil {
			h.UTMSource, h.UTMMedium, h.UTMCampaign = pq.Get("utm_source"), pq.Get("utm_medium"), pq.Get("utm_campaign")
		}
	}
	s.record(r, clientAddrOf(r.Context()), site, h) // whatever its outcome, the answer is the image
	hd := w.Header()
	hd.Set("Content-Type", "image/gif")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pixelGIF)
}

// record completes h from the request (site, user agent, time) and the client address
// ip, and hands it to the aggregator; it returns the status to answer with: 204 unless
// the aggregator is full (503). A hit beyond its address's limit (--stats-ip-limit) is
// answered 204 and counted nowhere.
func (s *collector) record(r *http.Request, ip netip.Addr, domain string, h analytics.Hit) int {
	if s.stats == nil || s.sites == nil {
		s.metrics.countHit("disabled")
		return http.StatusNoContent
	}
	if s.cfg.StatsRespectDNT && (r.Header.Get("Sec-GPC") == "1" || r.Header.Get("DNT") == "1") {
		s.metrics.countHit("dnt")
		return http.StatusNoContent
	}
	if !s.allowHit(ip) {
		s.metrics.countHit("rate_limited") // answered like any hit: the client learns nothing
		return http.StatusNoContent
	}
	site, err := s.sites.ByDomain(r.Context(), strings.ToLower(strings.TrimSuffix(domain, ".")))
	if err != nil {
		if errs.CodeOf(err) != errs.NotFound {
			s.metrics.countHit("error")
			return http.StatusServiceUnavailable
		}
		s.metrics.countHit("unknown_site") // silently: the answer is the same as for a known site
		return http.StatusNoContent
	}
	h.SiteID = site.ID
	h.Path, h.Referrer, h.Event = capField(h.Path), capField(h.Referrer), capField(h.Event)
	h.Language, h.UTMSource = capField(h.Language), capField(h.UTMSource)
	h.UTMMedium, h.UTMCampaign = capField(h.UTMMedium), capField(h.UTMCampaign)
	h.IP = ip
	h.UserAgent = capField(r.Header.Get("User-Agent"))
	h.Time = time.Now().UTC()
	if !s.stats.Record(h) {
		s.metrics.countHit("full")
		return http.StatusServiceUnavailable
	}
	s.metrics.countHit("accepted")
	return http.StatusNoContent
}

// collectStatus answers with a bare status: nothing of the request is ever echoed.
func collectStatus(w http.ResponseWriter, st int) {
	w.Header()["Cache-Control"] = hdrNoStore
	w.WriteHeader(st)
}

// allowStatsOrigin lets a registered site's pages (https://DOMAIN, https://www.DOMAIN)
// and the configured site origins read /collect's answers. It looks at the Origin header
// only, never at the site named in the body, so the answer's headers do not tell which
// site names are registered.
func (s *collector) allowStatsOrigin(h http.Header, r *http.Request) {
	if h["Vary"] == nil {
		h["Vary"] = hdrVaryOrigin
	} else {
		h["Vary"] = append(h["Vary"], "Origin")
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	if s.isSiteOrigin(origin) {
		h.Set("Access-Control-Allow-Origin", origin)
		return
	}
	host, ok := strings.CutPrefix(origin, "https://")
	if !ok || s.sites == nil || strings.ContainsAny(host, ":/") {
		return
	}
	if _, err := s.sites.ByDomain(r.Context(), strings.TrimPrefix(host, "www.")); err == nil {
		h.Set("Access-Control-Allow-Origin", origin)
	}
}

// capField keeps at most collectFieldCap bytes of v, cut on a rune boundary, so that a
// hostile hit holds little memory until the classifier truncates it further.
func capField(v string) string {
	if len(v) <= collectFieldCap {
		return v
	}
	n := collectFieldCap
	for n > 0 && !utf8.RuneStart(v[n]) {
		n-- // v[n] continues a rune that would be cut in half
	}
	return v[:n]
}

// firstLanguage is the first tag of an Accept-Language header ("de-CH,de;q=0.9" → "de-CH").
func firstLanguage(h string) string {
	tag, _, _ := strings.Cut(h, ",")
	tag, _, _ = strings.Cut(tag, ";")
	return strings.TrimSpace(tag)
}
