package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// hitSpy is a Collector that remembers every hit it is given (the test needs to see the
// IP and user agent, which the aggregator, by design, never exposes) and passes it on
// to next when set. cap > 0 makes it refuse hits beyond cap, like a full aggregator.
type hitSpy struct {
	mu   sync.Mutex
	hits []analytics.Hit
	next Collector
	agg  *analytics.Aggregator
	cap  int
}

func (s *hitSpy) Record(h analytics.Hit) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cap > 0 && len(s.hits) >= s.cap {
		return false
	}
	if s.next != nil && !s.next.Record(h) {
		return false
	}
	s.hits = append(s.hits, h)
	return true
}

func (s *hitSpy) all() []analytics.Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]analytics.Hit(nil), s.hits...)
}

// collectEnv is a server with the real site list (over the test database), the site
// example.com registered, and the real aggregator behind a spy that records the hits
// that reach it (opts configure the aggregator).
func collectEnv(t *testing.T, args ...string) (*env, *hitSpy) {
	t.Helper()
	return collectEnvWith(t, analytics.Options{}, args...)
}

func collectEnvWith(t *testing.T, opts analytics.Options, args ...string) (*env, *hitSpy) {
	t.Helper()
	e := newEnv(t, args...)
	store := sqldb.AnalyticsStore{DB: e.db}
	sites := analytics.NewSites(store, nil)
	site, err := sites.Add(e.ctx, staff.CLI, "example", "example.com")
	if err != nil {
		t.Fatal(err)
	}
	exampleID = site.ID
	agg := analytics.NewAggregator(store, opts)
	spy := &hitSpy{next: agg, agg: agg}
	e.srv.collector.stats = spy
	e.srv.collector.sites = sites
	return e, spy
}

// exampleID is the id of example.com in the latest collectEnv.
var exampleID int64

func (c *client) beacon(body string, hdr ...string) resp {
	c.e.t.Helper()
	req := c.newRequest("POST", "/collect", strings.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return c.do(req)
}

func (c *client) getWith(path string, hdr ...string) resp {
	c.e.t.Helper()
	req := c.newRequest("GET", path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return c.do(req)
}

const visitUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"

// The beacon and the pixel turn the same visit into the same hit.
func TestCollectBeaconAndPixelSameHit(t *testing.T) {
	e, spy := collectEnv(t)
	c := e.client()
	r := c.beacon(`{"site":"example.com","path":"/pricing","referrer":"https://search.example/?q=x","lang":"de-CH"}`,
		"User-Agent", visitUA, "Accept-Language", "de-CH,de;q=0.9")
	if r.StatusCode != http.StatusNoContent {
		t.Fatalf("beacon: %d %s", r.StatusCode, r.body)
	}
	r = c.getWith("/pixel.gif?site=example.com&ref="+url.QueryEscape("https://search.example/?q=x"),
		"User-Agent", visitUA, "Accept-Language", "de-CH,de;q=0.9", "Referer", "https://example.com/pricing")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/gif" || r.body != string(pixelGIF) {
		t.Fatalf("pixel: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("pixel Cache-Control %q", cc)
	}
	hits := spy.all()
	if len(hits) != 2 {
		t.Fatalf("recorded %d hits, want 2", len(hits))
	}
	b, p := hits[0], hits[1]
	if b.Time.IsZero() || p.Time.IsZero() {
		t.Fatal("hit without a time")
	}
	b.Time = p.Time
	if b != p {
		t.Fatalf("beacon and pixel differ:\nbeacon %+v\npixel  %+v", b, p)
	}
	if b.SiteID != exampleID || b.Kind != analytics.KindPageview || b.Path != "/pricing" || b.UserAgent != visitUA ||
		b.IP != netip.MustParseAddr("127.0.0.1") || b.Language != "de-CH" {
		t.Fatalf("hit %+v", b)
	}
	// Explicit path in the pixel's query wins over the Referer header.
	c.getWith("/pixel.gif?site=example.com&path=/docs", "Referer", "https://example.com/other")
	if h := spy.all()[2]; h.Path != "/docs" {
		t.Fatalf("pixel path %q", h.Path)
	}
}

// Events carry their name; screen width and UTM parameters reach the hit.
func TestCollectEventAndFields(t *testing.T) {
	e, spy := collectEnv(t)
	r := e.client().beacon(`{"site":"Example.com.","kind":"event","event":"download","path":"/","width":1280,` +
		`"utm_source":"news","utm_medium":"email","utm_campaign":"spring","props":{"file":"a.zip"}}`)
	if r.StatusCode != http.StatusNoContent {
		t.Fatalf("%d %s", r.StatusCode, r.body)
	}
	h := spy.all()[0]
	if h.Kind != analytics.KindEvent || h.Event != "download" || h.ScreenWidth != 1280 ||
		h.UTMSource != "news" || h.UTMMedium != "email" || h.UTMCampaign != "spring" || h.SiteID != exampleID {
		t.Fatalf("hit %+v", h)
	}
}

// No collection response ever sets a cookie, whatever its outcome.
func TestCollectSetsNoCookie(t *testing.T) {
	e, _ := collectEnv(t)
	c := e.client()
	c.hdr.Set("Cookie", "candor_session=x; _ga=y")
	for name, r := range map[string]resp{
		"tracker.js": c.get("/tracker.js"),
		"pageview":   c.beacon(`{"site":"example.com","path":"/"}`),
		"unknown":    c.beacon(`{"site":"unknown.example","path":"/"}`),
		"malformed":  c.beacon(`{`),
		"oversized":  c.beacon(`{"site":"example.com","path":"` + strings.Repeat("a", 5000) + `"}`),
		"preflight":  c.do(c.newRequest("OPTIONS", "/collect", nil)),
		"pixel":      c.get("/pixel.gif?site=example.com"),
		"pixel-bad":  c.get("/pixel.gif?site=nope.example"),
	} {
		if sc := r.Header.Values("Set-Cookie"); len(sc) > 0 {
			t.Errorf("%s: Set-Cookie %q", name, sc)
		}
	}
}

// Hostile text is accepted (the classifier normalises it), capped, and never echoed in
// an answer or written to the logs.
func TestCollectHostileInput(t *testing.T) {
	e, spy := collectEnv(t)
	c := e.client()
	xss := `<script>alert("x")</script>`
	rtl := "\u202egnp.exe\u0000\u0007\r\n"
	long := strings.Repeat("é", 5000) // 10 kB
	e.canary(xss, "gnp.exe")
	r := c.beacon(`{"site":"example.com","kind":"event","event":"` + strings.ReplaceAll(xss, `"`, `\"`) +
		`","path":"/` + `\u202egnp.exe\u0000","referrer":"javascript:` + strings.Repeat("x", 3000) + `"}`)
	if r.StatusCode != http.StatusNoContent || r.body != "" {
		t.Fatalf("beacon: %d %q", r.StatusCode, r.body)
	}
	q := url.Values{"site": {"example.com"}, "path": {"/" + xss + rtl + long}, "ref": {long + xss}}
	r = c.getWith("/pixel.gif?"+q.Encode(), "User-Agent", long+xss)
	if r.StatusCode != http.StatusOK || strings.Contains(r.body, "script") {
		t.Fatalf("pixel: %d", r.StatusCode)
	}
	for _, h := range spy.all() {
		for _, f := range []string{h.Path, h.Referrer, h.Event, h.UserAgent} {
			if len(f) > collectFieldCap || !utf8Valid(f) {
				t.Errorf("field of %d bytes kept (cap %d) or cut mid-rune", len(f), collectFieldCap)
			}
		}
	}
	if len(spy.all()) != 2 {
		t.Fatalf("recorded %d hits, want 2", len(spy.all()))
	}
}

// X-Forwarded-For from a peer that is not a trusted proxy is ignored; from a trusted
// proxy it names the client.
func TestCollectForgedForwardedFor(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "127.0.0.1"},
		{[]string{"--trusted-proxy", "127.0.0.1"}, "203.0.113.9"},
	} {
		e, spy := collectEnv(t, tc.args...)
		c := e.client()
		c.beacon(`{"site":"example.com","path":"/"}`, "X-Forwarded-For", "203.0.113.9")
		c.getWith("/pixel.gif?site=example.com", "X-Forwarded-For", "203.0.113.9")
		for _, h := range spy.all() {
			if h.IP.String() != tc.want {
				t.Errorf("%v: IP %s, want %s", tc.args, h.IP, tc.want)
			}
		}
	}
}

// An unknown site is answered exactly like a known one and nothing is recorded.
func TestCollectUnknownSite(t *testing.T) {
	e, spy := collectEnv(t)
	c := e.client()
	known := c.beacon(`{"site":"example.com","path":"/"}`, "Origin", "https://attacker.example")
	unknown := c.beacon(`{"site":"unknown.example","path":"/"}`, "Origin", "https://attacker.example")
	if known.StatusCode != http.StatusNoContent || unknown.StatusCode != http.StatusNoContent || unknown.body != "" {
		t.Fatalf("known %d, unknown %d %q", known.StatusCode, unknown.StatusCode, unknown.body)
	}
	for _, k := range []string{"Access-Control-Allow-Origin", "Content-Type", "Content-Length", "Cache-Control", "Vary"} {
		if known.Header.Get(k) != unknown.Header.Get(k) {
			t.Errorf("header %s differs: %q vs %q", k, known.Header.Get(k), unknown.Header.Get(k))
		}
	}
	if n := len(spy.all()); n != 1 {
		t.Fatalf("recorded %d hits, want only the known site's", n)
	}
}

// Malformed beacons are 400, wrong content types 415, oversized bodies 413; none is
// recorded and none is echoed.
func TestCollectMalformed(t *testing.T) {
	e, spy := collectEnv(t)
	c := e.client()
	for _, body := range []string{
		``, `{`, `[]`, `"x"`, `null`, `{"site":""}`, `{"path":"/"}`, `{"site":"example.com","extra":1}`,
		`{"site":"example.com","kind":"click"}`, `{"site":"example.com","kind":"event"}`,
		`{"site":"example.com","event":"x"}`, `{"site":"example.com"} {"site":"example.com"}`,
		`{"site":"example.com","width":-1}`, `{"site":"example.com","width":"wide"}`, `{"site":1}`,
		`{"site":"example.com","props":{"a":1}}`,
	} {
		if r := c.beacon(body); r.StatusCode != http.StatusBadRequest || r.body != "" {
			t.Errorf("%s: %d %q", body, r.StatusCode, r.body)
		}
	}
	req := c.newRequest("POST", "/collect", strings.NewReader(`site=example.com`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := c.do(req); r.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("form post: %d", r.StatusCode)
	}
	big := `{"site":"example.com","path":"/` + strings.Repeat("a", 5000) + `"}`
	if r := c.beacon(big); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d", r.StatusCode)
	}
	req = c.newRequest("POST", "/collect", struct{ *strings.Reader }{strings.NewReader(big)}) // chunked: no length
	req.Header.Set("Content-Type", "application/json")
	if r := c.do(req); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized chunked: %d", r.StatusCode)
	}
	if n := len(spy.all()); n != 0 {
		t.Fatalf("recorded %d hits", n)
	}
}

// The vendor's registered sites may post cross-site (the browser's Sec-Fetch-Site and
// Origin headers) and read the answer; other origins may post (counted only if the
// site is known) but get no CORS header.
func TestCollectCrossOrigin(t *testing.T) {
	e, spy := collectEnv(t)
	c := e.client()
	for _, o := range []string{"https://example.com", "https://www.example.com", "https://evil.example"} {
		r := c.beacon(`{"site":"example.com","path":"/"}`, "Origin", o, "Sec-Fetch-Site", "cross-site")
		if r.StatusCode != http.StatusNoContent {
			t.Fatalf("%s: %d", o, r.StatusCode)
		}
		allow := r.Header.Get("Access-Control-Allow-Origin")
		if want := !strings.Contains(o, "evil"); (allow == o) != want {
			t.Errorf("%s: Access-Control-Allow-Origin %q", o, allow)
		}
	}
	req := c.newRequest("OPTIONS", "/collect", nil)
	req.Header.Set("Origin", "https://example.com")
	if r := c.do(req); r.StatusCode != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Methods") != "POST" {
		t.Fatalf("preflight %d %v", r.StatusCode, r.Header)
	}
	if n := len(spy.all()); n != 3 {
		t.Fatalf("recorded %d hits, want 3", n)
	}
	// The public forms' cross-origin protection is untouched.
	req = c.newRequest("POST", "/subscribe", strings.NewReader("email=a@example.com"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.do(req); r.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site subscribe: %d", r.StatusCode)
	}
}

// Promise: Do Not Track and Global Privacy Control are honoured by default: Sec-GPC and
// DNT drop the hit unless --stats-respect-dnt=false says to count them.
func TestCollectRespectDNT(t *testing.T) {
	for _, on := range []bool{false, true} {
		var args []string
		if !on {
			args = []string{"--stats-respect-dnt=false"}
		}
		e, spy := collectEnv(t, args...)
		c := e.client()
		c.beacon(`{"site":"example.com","path":"/"}`, "Sec-GPC", "1")
		c.getWith("/pixel.gif?site=example.com", "DNT", "1")
		want := 2
		if on {
			want = 0
		}
		if n := len(spy.all()); n != want {
			t.Errorf("respect-dnt %v: recorded %d, want %d", on, n, want)
		}
	}
}

// A full aggregator is back-pressure: 503, nothing queued here; the pixel still answers
// its image.
func TestCollectFull(t *testing.T) {
	e, spy := collectEnv(t)
	spy.cap = 1
	c := e.client()
	if r := c.beacon(`{"site":"example.com","path":"/a"}`); r.StatusCode != http.StatusNoContent {
		t.Fatalf("first: %d", r.StatusCode)
	}
	if r := c.beacon(`{"site":"example.com","path":"/b"}`); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("full: %d", r.StatusCode)
	}
	if r := c.get("/pixel.gif?site=example.com"); r.StatusCode != http.StatusOK || r.body != string(pixelGIF) {
		t.Fatalf("pixel when full: %d", r.StatusCode)
	}
}

// A flood of random paths fills the aggregator's per-day cardinality cap, then folds
// into "(other)": memory stops growing however many distinct paths arrive.
func TestCollectFloodOfPaths(t *testing.T) {
	e, spy := collectEnvWith(t, analytics.Options{MaxValues: 20}, "--stats-ip-limit", "0") // one address, 1,000 hits
	c := e.client()
	c.hdr.Set("User-Agent", visitUA) // not a bot: every hit is counted
	flood := func(from, to int) int {
		for i := from; i < to; i++ {
			if r := c.beacon(fmt.Sprintf(`{"site":"example.com","path":"/spam/%d-%x"}`, i, i*7919)); r.StatusCode != http.StatusNoContent {
				t.Fatalf("hit %d: %d", i, r.StatusCode)
			}
		}
		n, _ := spy.agg.Pending()
		return n
	}
	after300 := flood(0, 300)
	after1000 := flood(300, 1000)
	if after1000 != after300 || after1000 > (len(analytics.Dimensions)+1)*21 {
		t.Fatalf("pending aggregates grew with distinct paths: %d after 300, %d after 1000", after300, after1000)
	}
	if acc, _, _ := spy.agg.Counts(); acc != 1000 {
		t.Fatalf("accepted %d of 1000", acc)
	}
}

// The tracker is served at a stable URL, loadable by any site, and uses no storage or
// cookie API.
func TestTrackerScript(t *testing.T) {
	e, _ := collectEnv(t)
	r := e.client().get("/tracker.js")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/javascript") ||
		r.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" || r.Header.Get("ETag") == "" {
		t.Fatalf("%d %v", r.StatusCode, r.Header)
	}
	for _, banned := range []string{"document.cookie", "localStorage", "sessionStorage", "indexedDB", "canvas", "getContext", "navigator.plugins", "hardwareConcurrency", "deviceMemory"} {
		if strings.Contains(r.body, banned) {
			t.Errorf("tracker.js uses %s", banned)
		}
	}
	if !strings.Contains(r.body, "sendBeacon") {
		t.Error("tracker.js does not use sendBeacon")
	}
}

func TestDecodeBeaconLimits(t *testing.T) {
	b, err := decodeBeacon([]byte(`{"site":"example.com"}`))
	if err != nil || b.Kind != analytics.KindPageview {
		t.Fatalf("%+v %v", b, err)
	}
	if got := capField(strings.Repeat("€", 1000)); len(got) > collectFieldCap || !utf8Valid(got) {
		t.Fatalf("capField: %d bytes", len(got))
	}
	if got := firstLanguage("de-CH,de;q=0.9,en;q=0.5"); got != "de-CH" {
		t.Fatalf("firstLanguage %q", got)
	}
}

func FuzzDecodeBeacon(f *testing.F) {
	for _, s := range []string{`{"site":"example.com","path":"/"}`, `{"site":"a","kind":"event","event":"e","props":{"k":"v"}}`, `{`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := decodeBeacon(body)
		if err != nil {
			return
		}
		if b.Site == "" || (b.Kind != analytics.KindPageview && b.Kind != analytics.KindEvent) ||
			(b.Kind == analytics.KindEvent) != (b.Event != "") || b.Width < 0 {
			t.Fatalf("accepted an invalid beacon: %s", fmt.Sprintf("%+v", b))
		}
	})
}

func utf8Valid(s string) bool { return utf8.ValidString(s) }

// panicky is a Collector that panics: a fault the real aggregator is not known to
// produce, named as such, to reach /collect's own recovery.
type panicky struct{}

func (panicky) Record(analytics.Hit) bool { panic("collector fault (test)") }

// A panic behind /collect is a clean 500 with a request id and every security header
// (the error has a body), logged by its type only: never its text, the hit's address or
// its user agent.
func TestCollectRecoversFromAPanic(t *testing.T) {
	e, _ := collectEnv(t)
	e.srv.collector.stats = panicky{}
	c := e.client()
	c.hdr.Set("User-Agent", visitUA)
	r := c.beacon(`{"site":"example.com","path":"/"}`)
	if r.StatusCode != http.StatusInternalServerError || r.Header.Get("X-Request-Id") == "" {
		t.Fatalf("a panic: %d, request id %q; want 500 with an id", r.StatusCode, r.Header.Get("X-Request-Id"))
	}
	checkSecurityHeaders(t, "POST /collect (panic)", r.Header)
	for _, h := range []string{"Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Permissions-Policy"} {
		if r.Header.Get(h) == "" {
			t.Errorf("the error page lacks %s", h)
		}
	}
	if logs := e.logs.String(); !strings.Contains(logs, "msg=panic") || strings.Contains(logs, visitUA) || strings.Contains(logs, "collector fault") {
		t.Errorf("the panic is not logged, or the log carries the panic's text or the user agent:\n%s", logs)
	}
}
