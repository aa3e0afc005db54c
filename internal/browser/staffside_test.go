package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestNewsletterStaffPages walks the staff side of the newsletter in the demo (no mail
// relay): import subscribers from a Mailchimp export, browse and open them, compose a
// campaign, preview it in its sandboxed frame, send a test, send it, follow its
// progress, and read the outbox marked as not sent. Every page must load without a
// console error or CSP violation and without a request to any other host.
func TestNewsletterStaffPages(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t)
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }
	const newPassword = "a calm and quick admin 42"

	signInDemoOwner(b, srv, newPassword)
	check("sign-in")

	// Subscribers: empty, then an import with a preview.
	b.open("/admin/subscribers")
	b.wantHeading("Subscribers")
	b.shoot("subscribers-empty", false)
	b.open("/admin/subscribers/import")
	b.wantHeading("Import subscribers")
	b.shoot("import", true)
	csv := filepath.Join(t.TempDir(), "mailchimp-export.csv")
	var file strings.Builder
	file.WriteString("\"Email Address\",\"First Name\",\"Last Name\",UNSUB_TIME\n")
	first := []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Niklaus", "Radia", "Tim"}
	for i := range 64 {
		fmt.Fprintf(&file, "reader%02d@demo.example,%s,Reader,\n", i, first[i%len(first)])
	}
	file.WriteString("<script>alert(1)</script>,Mallory,,\nreader03@demo.example,Twice,,\nleft@demo.example,Left,,2026-01-02 10:00:00\nnot-an-address,Nobody,,\n")
	if err := os.WriteFile(csv, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(`#file`, []string{csv})); err != nil {
		t.Fatalf("choosing the file: %v", err)
	}
	cancel()
	b.submit(`form[action="/admin/subscribers/import"] button[type=submit]`)
	b.wantHeading("Check the import")
	if got := b.text(".stats"); !strings.Contains(got, "64") {
		t.Errorf("the preview does not count 64 new addresses: %q", got)
	}
	if b.count("script:not([src])") != 0 {
		t.Error("an uploaded cell became a script")
	}
	b.shoot("import-preview", true)
	b.fill("#consent", "Mailchimp export 2026-11, double opt-in there")
	b.submit(`form[action="/admin/subscribers/import/commit"] button[type=submit]`)
	b.wantHeading("Import finished")
	b.shoot("import-done", false)
	check("import")

	b.open("/admin/subscribers")
	if n := b.count("table tbody tr"); n != 50 {
		t.Errorf("the first page shows %d subscribers, want 50", n)
	}
	b.shoot("subscribers", true)
	b.open("/admin/subscribers?page=2&sort=created&dir=asc")
	b.shoot("subscribers-page2", false)
	// The search posts its address: the list it lands on carries only a sealed id.
	b.fill(`form[action="/admin/subscribers/search"] input[name=q]`, "Reader07@demo.example")
	b.submit(`form[action="/admin/subscribers/search"] button[type=submit]`)
	if u := b.location(); u.Query().Get("s") == "" || strings.Contains(strings.ToLower(u.String()), "reader07") {
		t.Errorf("the search landed on %s: no sealed id, or the address in the URL", u)
	}
	if n := b.count("table tbody tr a"); n != 1 {
		t.Errorf("search shows %d rows, want 1", n)
	}
	b.shoot("subscribers-search", false)
	b.submit("table tbody tr a")
	b.wantHeading("Subscriber")
	if got := b.text("main"); !strings.Contains(got, "reader07@demo.example") || !strings.Contains(got, "import: Mailchimp export 2026-11") {
		t.Errorf("the subscriber page lacks the address or consent source")
	}
	b.shoot("subscriber-detail", true)
	check("subscribers")

	// A campaign: compose, preview, test, send, progress.
	b.open("/admin/campaigns")
	b.shoot("campaigns-empty", false)
	b.open("/admin/campaigns/new")
	b.fill("#subject", "Northwind 2.0 is out")
	b.choose("#body", "# Northwind 2.0\n\nHello,\n\nThe new version is **faster** and works *offline*. Read [the release notes](https://northwind.example/notes).\n\n- Sync in the background\n- A dark theme\n- 40 fixes\n\nThank you for using Northwind.")
	b.fill("#rate", "50")
	b.shoot("campaign-new", true)
	b.submit(`form.compose button[type=submit]`)
	b.wantHeading("Northwind 2.0 is out")
	b.shoot("campaign-draft", true)
	b.fill("#to", "me@demo.example")
	b.submit(`form[action$="/test"] button[type=submit]`)
	if got := b.text("[role=status]"); !strings.Contains(got, "test message was queued") {
		t.Errorf("after a test send the notice says %q", got)
	}
	id := strings.TrimPrefix(b.location().Path, "/admin/campaigns/")
	b.open("/admin/campaigns/" + id + "/preview")
	b.wantHeading("Preview")
	b.shoot("campaign-preview", false)
	b.open("/admin/campaigns/" + id + "/send")
	if got := b.text(".big-number"); !strings.HasPrefix(got, "64") {
		t.Errorf("the confirmation counts %q recipients, want 64", got)
	}
	b.shoot("campaign-send", true)
	b.submit(`form[action$="/send"] button[type=submit]`)
	if got := b.text(".progress-card"); !strings.Contains(got, "of 64") {
		t.Errorf("the sending page shows %q", got)
	}
	b.shoot("campaign-sending", true)
	b.open("/admin/campaigns")
	b.shoot("campaigns", true)
	check("campaigns")

	// The outbox, without a relay.
	b.open("/admin/outbox")
	if got := b.text(".callout.warn h2"); !strings.Contains(got, "nothing is sent") {
		t.Errorf("the outbox does not say nothing is sent: %q", got)
	}
	b.shoot("outbox", true)
	b.open("/admin/outbox?kind=transactional")
	b.submit("table tbody tr a")
	if got := b.text("main"); !strings.Contains(got, "me@demo.example") || !strings.Contains(got, "[Test] Northwind 2.0 is out") {
		t.Errorf("the message page lacks recipient or subject")
	}
	b.shoot("outbox-message", true)
	check("outbox")

	b.open("/admin/")
	if n := b.count(`.tiles a[href="/admin/subscribers"], .tiles a[href="/admin/campaigns"], .tiles a[href="/admin/outbox"]`); n != 3 {
		t.Errorf("the home page links %d of the three newsletter sections", n)
	}
	b.shoot("home-owner", false)
	check("home")
}
