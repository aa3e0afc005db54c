package browser

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	_ "modernc.org/sqlite" // driver "sqlite", to read the server's database file

	"github.com/candor-dev/candor/internal/testkit/mailpit"
)

// TestSubscribeThroughDemoSite is a reader's double opt-in in a real browser, with a
// real SMTP relay (mailpit): the demo site's newsletter form (its anti-bot script
// solving a real proof-of-work, the time trap waited out), the thank-you page, the
// confirmation mail, the link's page with a button (the GET confirms nothing), the
// button, the confirmed page. Then Candor's own /subscribe page and the notice a dead
// unsubscribe link gets. Every page must load without a console error or CSP
// violation and without a request to any host but the server's.
func TestSubscribeThroughDemoSite(t *testing.T) {
	chromiumPath(t) // skip (or fail in CI) before starting anything
	mp := startRelay(t)
	data := t.TempDir()
	ca := filepath.Join(t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(ca, mp.Cert.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServerWith(t, data, "--smtp", mp.URL("smtp", "", "").String(), "--smtp-allow-private",
		"--smtp-ca-file", ca, "--antibot-difficulty", "8")
	db := openSQLite(t, filepath.Join(data, "candor.db"))
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }
	const reader, readerName = "rita.reader@example.com", "Rita Reader"
	const form = `.demo-site [data-slot="newsletter"] form.subscribe-form`

	// The vendor's website, with Candor's form in its newsletter slot.
	b.open("/")
	if got := b.text("h1"); !strings.Contains(got, "Northwind") {
		t.Fatalf("demo site h1 = %q, want the demo vendor's name", got)
	}
	if n := b.count(form + `[method="post"][action="/subscribe"]`); n != 1 {
		t.Fatalf("the newsletter slot holds %d subscribe forms posting to /subscribe, want 1", n)
	}
	for _, name := range []string{"consent", "source", "candor_time", "candor_pow"} {
		if n := b.count(form + ` input[type=hidden][name="` + name + `"]`); n != 1 {
			t.Errorf("the demo site's form has %d hidden %s fields, want 1", n, name)
		}
	}
	if n := b.count(form + ` input[name="source"][value="demo-site"]`); n != 1 {
		t.Error("the demo site's form does not record its source as demo-site")
	}
	if b.visible(form + ` input[name="website"]`) {
		t.Error("the honeypot field is in view")
	}
	b.shoot("demo-subscribe", true)
	check("demo site")

	// Type, then take a moment as a person does: the script solves its challenge in the
	// meantime, and the time trap (2 s from the challenge) passes. Then subscribe.
	b.fill(form+` input[name="email"]`, reader)
	b.fill(form+` input[name="name"]`, readerName)
	typed := time.Now()
	b.waitFor(`(document.querySelector(`+jsString(form+` input[name="candor_nonce"]`)+`)?.value || "") !== ""`,
		"antibot.js to fill in its proof-of-work solution")
	time.Sleep(time.Until(typed.Add(3 * time.Second)))
	// The bound is how long a loaded machine may take to post and load the next page,
	// not a speed requirement: a lost click never loads one.
	if !b.trySubmit(form+` button[type=submit]`, stepTimeout) {
		// The solution was ready, so the page should have gone at once. antibot.js
		// re-submits from a microtask that runs inside the click's own submit event,
		// where Chromium ignores requestSubmit(): the first click is lost. A second
		// click fetches a fresh challenge and goes after the time trap.
		t.Error("the first click on Subscribe, after the solution was ready, did not submit the form")
		b.submit(form + ` button[type=submit]`)
	}
	b.wantPath("/subscribe/thanks")
	b.wantHeading("Almost done")
	if got := b.text(`[role=status]`); !strings.Contains(got, "check your inbox") {
		t.Errorf("the thank-you page says %q", got)
	}
	if got := b.text("main"); !strings.Contains(got, "press the button") {
		t.Errorf("the thank-you page does not explain the next step: %q", got)
	}
	b.shoot("subscribe-thanks", true)
	check("thank-you page")

	// The confirmation mail, through the relay.
	msgs := mp.Wait(t, 1, 30*time.Second)
	if len(msgs[0].To) != 1 || msgs[0].To[0].Address != reader {
		t.Fatalf("the confirmation mail went to %v, want %s", msgs[0].To, reader)
	}
	text := mailBody(t, mp, msgs[0].ID)
	link := regexp.MustCompile(regexp.QuoteMeta(srv.URL+"/subscribe/confirm/") + `[^\s<>"]+`).FindString(text)
	if link == "" {
		t.Fatalf("no %s/subscribe/confirm/… link in the mail:\n%s", srv.URL, text)
	}
	if strings.Contains(text, readerName) {
		t.Error("the confirmation mail echoes the name typed into the form")
	}

	// The link's page: a button, and nothing confirmed yet (a mail scanner follows links).
	b.open(strings.TrimPrefix(link, srv.URL))
	b.wantHeading("Confirm your subscription")
	button := `main form[method="post"][action^="/subscribe/confirm/"] button[type=submit]`
	if n := b.count(button); n != 1 {
		t.Fatalf("the confirm page shows %d confirm buttons, want 1", n)
	}
	if got := statuses(t, db); got != "pending:1" {
		t.Fatalf("after opening the link the subscribers are %s, want one pending", got)
	}
	b.shoot("confirm", true)
	check("confirm page")

	b.submit(button)
	b.wantHeading("Subscription confirmed")
	if got := b.text("main .card"); !strings.Contains(got, "confirmed") {
		t.Errorf("the confirmed page says %q", got)
	}
	if b.count("main form") != 0 {
		t.Error("the confirmed page still shows a form")
	}
	if got := statuses(t, db); got != "confirmed:1" {
		t.Fatalf("after the button the subscribers are %s, want one confirmed", got)
	}
	b.shoot("confirmed", true)
	check("confirmed page")

	// Candor's own subscribe page: the same form, its own source.
	b.open("/subscribe")
	b.wantHeading("Subscribe")
	own := `main form.subscribe-form[method="post"][action="/subscribe"]`
	if n := b.count(own); n != 1 {
		t.Fatalf("/subscribe shows %d subscribe forms, want 1", n)
	}
	if n := b.count(own + ` input[name="email"][required]`); n != 1 {
		t.Error("/subscribe has no required email field")
	}
	if n := b.count(own + ` input[name="source"][value="candor-page"]`); n != 1 {
		t.Error("/subscribe does not record its source as candor-page")
	}
	b.shoot("subscribe-page", true)
	check("/subscribe")

	// A dead unsubscribe link: a calm notice, answered 404.
	b.open("/unsubscribe/bogus-token")
	b.wantHeading("This link does not work")
	if got := b.text(`[role=alert]`); got == "" {
		t.Error("the notice does not say what is wrong")
	}
	if n := b.count(`main a[href="/subscribe"]`); n != 1 {
		t.Error("the notice offers no way to subscribe again")
	}
	b.shoot("notice", true)
	if got := rec.take("HTTP 404 for " + srv.URL + "/unsubscribe/bogus-token"); len(got) != 1 {
		t.Errorf("a bogus unsubscribe link did not answer 404 (recorded: %v)", got)
	}
	rec.take("status of 404") // Chromium's console line for that same response
	check("notice page")

	checkCSPCanary(t, b, rec)
}

// startRelay starts mailpit; without one, the test fails where a browser run is required
// (CI, CANDOR_REQUIRE_BROWSER=1), and skips otherwise.
func startRelay(t *testing.T) *mailpit.Server {
	t.Helper()
	if mailpit.Binary() == "" && os.Getenv("CANDOR_REQUIRE_BROWSER") == "1" {
		t.Fatal("mailpit not found: go install github.com/axllent/mailpit@v1.33.1")
	}
	return mailpit.Start(t, mailpit.Options{}) // fails under CI, skips otherwise
}

// openSQLite opens the server's SQLite file alongside it, for reading.
func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// statuses summarises the subscribers table as "status:count,…" in status order.
func statuses(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "SELECT status, COUNT(*) FROM subscribers GROUP BY status ORDER BY status")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var s, n string
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, s+":"+n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(parts, ",")
}

// mailBody returns the plain-text body of a message mailpit received.
func mailBody(t *testing.T, mp *mailpit.Server, id string) string {
	t.Helper()
	res, err := http.Get(mp.API + "/api/v1/message/" + url.PathEscape(id))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m struct{ Text string }
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m.Text
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// trySubmit clicks the element sel (a submit button) and reports whether a page loaded
// within timeout.
func (b *tab) trySubmit(sel string, timeout time.Duration) bool {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
	switch {
	case err == nil:
		return true
	case ctx.Err() != nil:
		return false
	}
	b.t.Fatalf("submit %s: %v", sel, err)
	return false
}

// waitFor polls the JavaScript expression cond until it is true, or fails the test
// after stepTimeout, naming what it waited for.
func (b *tab) waitFor(cond, what string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// visible reports whether the element sel has a box inside the viewport.
func (b *tab) visible(sel string) bool {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	js := `(() => { const r = document.querySelector(` + jsString(sel) + `).getBoundingClientRect();` +
		` return r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight })()`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.t.Fatalf("visible %s: %v", sel, err)
	}
	return v
}
