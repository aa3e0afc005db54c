package browser

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrivacyNotice opens /privacy of `candor serve --demo` (with the vendor's own
// words from --privacy-intro) in Chromium, from the demo site's footer link. Promise
// (issue 10 §2): the page loads without a console error, CSP violation or failed
// request, and asks for nothing outside its own origin; /privacy.json answers the same
// version.
func TestPrivacyNotice(t *testing.T) {
	chromiumPath(t)
	intro := filepath.Join(t.TempDir(), "intro.md")
	if err := os.WriteFile(intro, []byte("## Our words\n\nWe are a *small* company.\n\n<img src=\"https://tracker.example/p.gif\">\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServerWith(t, t.TempDir(), "--privacy-intro", intro, "--postal-address", "1 Harbour Road, Cork")
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }

	b.open("/")
	check("demo site")
	b.submit(`footer a[href="/privacy"]`)
	b.wantPath("/privacy")
	b.wantHeading("Privacy")
	check("privacy notice")
	b.shoot("privacy", true)
	if got := b.text(".privacy-intro h2"); got != "Our words" {
		t.Errorf("the vendor's intro heading is %q", got)
	}
	if n := b.count(".privacy-intro img"); n != 0 {
		t.Error("raw HTML from the intro reached the page")
	}
	body := b.text("main")
	for _, want := range []string{"Newsletter sign-up", "Contact form", "Checkout", "SQLite database", "10 years",
		"fewer than 5 visitors", "1 Harbour Road, Cork", "See, export or erase your data"} {
		if !strings.Contains(body, want) {
			t.Errorf("/privacy lacks %q", want)
		}
	}
	// The JSON from Go, not a tab: Chromium would ask a bare JSON document for /favicon.ico.
	version := b.text(".version code")
	resp, err := http.Get(srv.URL + "/privacy.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || !strings.Contains(string(got), `"version":"`+version) {
		t.Errorf("/privacy.json does not carry the page's version %q: %.200s (%v)", version, got, err)
	}
}
