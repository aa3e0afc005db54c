package accesslog

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

const sampleCombined = `203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.html?x=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`

func mustParse(t *testing.T, format, line string) Entry {
	t.Helper()
	f, err := Compile(format, "", "")
	if err != nil {
		t.Fatal(err)
	}
	var e Entry
	if err := f.NewParser().Parse([]byte(line), &e); err != nil {
		t.Fatalf("Parse(%q): %v", line, err)
	}
	return e
}

func TestParseCombined(t *testing.T) {
	e := mustParse(t, "combined", sampleCombined)
	want := time.Date(2000, 10, 10, 20, 55, 36, 0, time.UTC)
	if string(e.Host) != "203.0.113.9" || !e.Time.Equal(want) || string(e.Method) != "GET" || string(e.Path) != "/apache_pb.html" ||
		string(e.Query) != "x=1" || string(e.Proto) != "HTTP/1.0" || e.Status != 200 || e.Bytes != 2326 ||
		string(e.Referrer) != "http://www.example.com/start.html" || string(e.UserAgent) != "Mozilla/4.08 [en] (Win98; I ;Nav)" {
		t.Errorf("got %+v", e)
	}
}

func TestParseCommonIPv6AndDashes(t *testing.T) {
	e := mustParse(t, "common", `2001:db8::1 - - [01/Nov/2026:00:00:00 +0000] "HEAD / HTTP/1.1" 304 -`)
	if a, ok := e.Addr(); !ok || a != netip.MustParseAddr("2001:db8::1") {
		t.Errorf("Addr = %v %v", a, ok)
	}
	if e.Status != 304 || e.Bytes != 0 || e.UserAgent != nil || string(e.Path) != "/" {
		t.Errorf("got %+v", e)
	}
	e = mustParse(t, "combined", `::ffff:192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`)
	if a, _ := e.Addr(); a != netip.MustParseAddr("192.0.2.1") || e.Referrer != nil || e.UserAgent != nil {
		t.Errorf("mapped address %v, referrer %q, agent %q", a, e.Referrer, e.UserAgent)
	}
}

func TestParseEscapedQuotes(t *testing.T) {
	e := mustParse(t, "combined", `192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /a\"b HTTP/1.1" 200 1 "-" "Evil \"quoted\" agent\\"`)
	if string(e.Path) != `/a\"b` || string(e.UserAgent) != `Evil \"quoted\" agent\\` {
		t.Errorf("path %q agent %q", e.Path, e.UserAgent)
	}
}

func TestParseCustomFormat(t *testing.T) {
	// nginx with the host first and a request time at the end, date and time apart.
	f, err := Compile(`%^ %h [%d %t] %m %U %q %H %s %b "%R" "%u" %T`, "%Y-%m-%d", "%H:%M:%S")
	if err != nil {
		t.Fatal(err)
	}
	var e Entry
	line := `shop.example.com 192.0.2.7 [2026-11-02 10:11:12] GET /pricing ?utm_source=x HTTP/2.0 200 512 "-" "Mozilla/5.0 (X11)" 0.004`
	if err := f.NewParser().Parse([]byte(line), &e); err != nil {
		t.Fatal(err)
	}
	if string(e.Host) != "192.0.2.7" || !e.Time.Equal(time.Date(2026, 11, 2, 10, 11, 12, 0, time.UTC)) || string(e.Path) != "/pricing" ||
		string(e.Query) != "utm_source=x" || string(e.UserAgent) != "Mozilla/5.0 (X11)" {
		t.Errorf("got %+v", e)
	}
}

func TestCompileErrors(t *testing.T) {
	for format, want := range map[string]string{
		`%h %Z %r`:   "unknown directive %Z",
		`%h%^ "%r"`:  "need a separator",
		`%h %s`:      "needs %r",
		`%h "%r" %`:  "lone %",
		`%h %d "%r"`: "needs %t",
		`%h "%r" %h`: "appears twice",
	} {
		if _, err := Compile(format, "", ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Compile(%q) = %v, want %q", format, err, want)
		}
	}
}

func TestParseMalformed(t *testing.T) {
	f, _ := Compile("combined", "", "")
	p := f.NewParser()
	for _, line := range []string{
		"",
		"garbage",
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-"`,                    // common, not combined
		`192.0.2.1 - - [41/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`,                // bad day
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "-" 400 1 "-" "-"`,                             // no request
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" abc 1 "-" "-"`,                // status
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "unterminated`,      // quote
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-" trailing stuff`, // extra
	} {
		var e Entry
		if err := p.Parse([]byte(line), &e); err == nil {
			t.Errorf("Parse(%q) accepted a malformed line: %+v", line, e)
		}
	}
}

func TestFilter(t *testing.T) {
	flt, err := NewFilter(FilterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string]string{
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /pricing HTTP/1.1" 200 1 "-" "-"`:        "",
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /pricing HTTP/1.1" 304 1 "-" "-"`:        "",
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "HEAD /docs/v1.2/ HTTP/1.1" 200 1 "-" "-"`:    "",
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /app.CSS?v=3 HTTP/1.1" 200 1 "-" "-"`:    ReasonAsset,
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "POST /contact HTTP/1.1" 200 1 "-" "-"`:       ReasonMethod,
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /gone HTTP/1.1" 404 1 "-" "-"`:           ReasonStatus,
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /old HTTP/1.1" 301 1 "-" "-"`:            ReasonStatus,
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /robots.txt HTTP/1.1" 200 1 "-" "-"`:     ReasonNonPage,
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /.well-known/x HTTP/1.1" 200 1 "-" "-"`:  ReasonNonPage,
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "OPTIONS * HTTP/1.1" 200 1 "-" "-"`:           ReasonMethod,
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET http://x.test/a HTTP/1.1" 200 1 "-" "-"`: "",
	} {
		e := mustParse(t, "combined", line)
		if got := flt.Reason(&e); got != want {
			t.Errorf("Reason(%s) = %q, want %q", line, got, want)
		}
	}
}

func FuzzParseLine(f *testing.F) {
	f.Add(sampleCombined, "combined")
	f.Add(`2001:db8::1 - - [01/Nov/2026:00:00:00 +0000] "HEAD / HTTP/1.1" 304 -`, "common")
	f.Add(`x [2026-11-02 10:11:12] GET /p ?q HTTP/2 200 5 "\"" "-" 1`, `%h [%d %t] %m %U %q %H %s %b "%R" "%u" %T`)
	f.Fuzz(func(t *testing.T, line, format string) {
		fm, err := Compile(format, "%Y-%m-%d", "")
		if err != nil {
			return
		}
		var e Entry
		p := fm.NewParser()
		if p.Parse([]byte(line), &e) == nil {
			e.Addr()
			flt, _ := NewFilter(FilterOptions{})
			flt.Reason(&e)
		}
	})
}
