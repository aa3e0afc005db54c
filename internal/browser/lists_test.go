package browser

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestListsPage manages mailing lists in the demo: reach them from the subscribers page,
// create one, open its edit and delete disclosures (no JavaScript), rename and delete
// it. Every page must load without a console error or CSP violation.
func TestListsPage(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t)
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }
	const newPassword = "a calm and quick admin 42"

	signInDemoOwner(b, srv, newPassword)
	check("sign-in")

	b.open("/admin/subscribers")
	b.submit(`.page-actions a[href="/admin/lists"]`)
	b.wantHeading("Lists")
	b.shoot("lists", true)

	b.fill("#slug", "Bad Slug")
	b.fill("#name", "Northwind Pro")
	// :invalid is the browser's own verdict, which blocks the submission; the short
	// try below only backs it up (on a slow machine a post could outlast it unseen).
	if b.count("#slug:invalid") != 1 {
		t.Error("the browser does not hold a slug that misses the field's pattern invalid")
	}
	if b.trySubmit(`form[action="/admin/lists"] button[type=submit]`, time.Second) {
		t.Error("the browser posted a slug that does not match the field's pattern")
	}
	b.choose("#slug", "northwind-pro") // typing would append to the refused value
	b.fill("#description", "Releases and tips for Northwind Pro")
	b.submit(`form[action="/admin/lists"] button[type=submit]`)
	if got := b.text("[role=status]"); !strings.Contains(got, "The list was created") {
		t.Fatalf("after creating a list the notice says %q", got)
	}
	if got := b.text("main table"); !strings.Contains(got, `value="northwind-pro"> Northwind Pro</label>`) {
		t.Errorf("the new list's snippet is missing: %q", got)
	}
	b.shoot("lists-created", false)
	// The disclosures open without JavaScript (and without a page load).
	b.toggle(`tbody tr:last-child details.edit summary`)
	b.toggle(`tbody tr:last-child details.confirm summary`)
	b.waitFor(`document.querySelectorAll("tbody tr:last-child details[open]").length === 2`, "both disclosures open")
	b.shoot("lists-open", true)
	if b.count(".table-wrap") != 1 || !b.fits(".table-wrap") {
		t.Error("with both disclosures open the table is wider than the page")
	}
	b.fill(`tbody tr:last-child input[name=name]`, "Northwind Pro & Teams")
	b.submit(`tbody tr:last-child details.edit button[type=submit]`)
	if got := b.text("[role=status]"); !strings.Contains(got, "The list was saved") {
		t.Fatalf("after renaming the notice says %q", got)
	}
	if got := b.text("main table"); !strings.Contains(got, `Northwind Pro &amp; Teams</label>`) {
		t.Errorf("the snippet does not escape the new name: %q", got)
	}
	b.toggle(`tbody tr:last-child details.confirm summary`)
	b.submit(`tbody tr:last-child details.confirm button[type=submit]`)
	if got := b.text("[role=status]"); !strings.Contains(got, "The list was deleted") {
		t.Fatalf("after deleting the notice says %q", got)
	}
	if n := b.count("main tbody tr"); n != 1 {
		t.Errorf("%d lists after the delete; want the default list only", n)
	}
	check("lists")
}

// toggle opens or closes the disclosure whose summary is sel (no page load).
func (b *tab) toggle(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("toggle %s: %v", sel, err)
	}
}

// fits reports whether the element sel shows all its content without scrolling sideways.
func (b *tab) fits(sel string) bool {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	js := `(() => { const e = document.querySelector(` + jsString(sel) + `); return e.scrollWidth <= e.clientWidth })()`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.t.Fatalf("fits %s: %v", sel, err)
	}
	return v
}
