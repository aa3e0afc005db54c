package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// TestAdminJourney walks the demo as a new owner does: the demo site, the sign-in
// redirect, the forced password change, two-factor enrolment, the staff and audit pages,
// sign-out, and sign-in again with a fresh code. Every page must load without a console
// error or CSP violation and without a request to any other host.
func TestAdminJourney(t *testing.T) {
	chromiumPath(t) // skip (or fail in CI) before starting anything
	srv := startServer(t)
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }
	const newPassword = "a calm and quick admin 42"

	// The demo vendor's website.
	b.open("/")
	if got := b.text("h1"); !strings.Contains(got, "Northwind") {
		t.Fatalf("demo site h1 = %q, want the demo vendor's name", got)
	}
	if b.count(`[data-slot]`) < 4 {
		t.Errorf("demo site shows %d Candor slots, want the buy, newsletter, contact and tracker slots", b.count(`[data-slot]`))
	}
	b.shoot("demo-site", true)
	check("demo site")

	// The admin sends a stranger to sign in, and back afterwards.
	b.open("/admin/")
	if u := b.wantPath("/admin/login"); u.Query().Get("next") != "/admin/" {
		t.Errorf("sign-in redirect lost the page asked for: %s", u)
	}
	b.shoot("sign-in", true)

	// A wrong password is refused in place, with the email kept.
	b.fill("#email", srv.Email)
	b.fill("#password", "not the password")
	b.submit(`form[action="/admin/login"] button[type=submit]`)
	if b.count(`[role=alert]`) != 1 {
		t.Errorf("a wrong password shows no error")
	}
	b.shoot("sign-in-error", false)
	rec.take("401") // the refusal is a 401, as it should be
	check("sign-in")

	// The one-time password signs in and forces a password change first.
	b.fill("#email", srv.Email)
	b.fill("#password", srv.Password)
	b.submit(`form[action="/admin/login"] button[type=submit]`)
	b.wantPath("/admin/account")
	b.wantHeading("My account")
	b.shoot("password-change", false)
	b.fill("#current", srv.Password)
	b.fill("#password", newPassword)
	b.fill("#confirm", newPassword)
	b.submit(`form[action="/admin/account/password"] button[type=submit]`)
	b.wantPath("/admin/account")
	if got := b.text(`[role=status]`); !strings.Contains(got, "password was changed") {
		t.Errorf("after the password change the notice says %q", got)
	}
	check("password change")

	// Two-factor enrolment: the key shown in the page drives a real TOTP code.
	b.open("/admin/account/2fa")
	b.wantHeading("Two-factor sign-in")
	b.submit(`form[action="/admin/account/2fa"] button[type=submit]`)
	secret := b.text("code.secret")
	if b.count(".qr svg") != 1 {
		t.Errorf("the set-up page shows no QR code")
	}
	b.shoot("2fa-setup", true)
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("TOTP code for the secret %q shown in the page: %v", secret, err)
	}
	usedStep := time.Now().Unix() / 30
	b.fill("#code", code)
	b.submit(`form[action="/admin/account/2fa"] button[type=submit]`)
	if n := b.count(".codes code"); n != 10 {
		t.Fatalf("after confirming, %d recovery codes are shown, want 10", n)
	}
	b.shoot("2fa-recovery", false)
	check("two-factor enrolment")

	// The pages an owner lives in.
	b.open("/admin/")
	b.wantHeading("Home")
	b.shoot("home", true)
	b.open("/admin/account")
	b.shoot("account", false)
	b.open("/admin/staff")
	b.wantHeading("Staff")
	b.fill("#email", "ada@demo.example")
	b.choose("#role", "support")
	b.submit(`form[action="/admin/staff"] button[type=submit]`)
	if got := b.text("code.secret"); len(got) < 20 {
		t.Errorf("adding a member shows the one-time password %q", got)
	}
	b.shoot("staff-added", false)
	b.open("/admin/staff")
	if b.count("table tbody tr") < 2 {
		t.Errorf("the staff list shows fewer than two members")
	}
	b.shoot("staff", true)
	b.open("/admin/staff/2")
	b.wantHeading("Staff member")
	if got := b.text("main"); !strings.Contains(got, "ada@demo.example") {
		t.Errorf("the staff detail page does not show the member's email")
	}
	b.shoot("staff-detail", true)
	b.submit(`form[action="/admin/staff/2/reset-password"] button[type=submit]`)
	if got := b.text("code.secret"); len(got) < 20 {
		t.Errorf("resetting a password shows the one-time password %q", got)
	}
	b.shoot("staff-reset", false)
	b.open("/admin/account/2fa")
	if got := b.text("main"); !strings.Contains(got, "is on") {
		t.Errorf("the two-factor page does not say it is on: %q", got)
	}
	b.shoot("2fa-on", false)
	check("staff pages")

	// A missing record is a calm error page, with the way back.
	b.open("/admin/staff/999")
	b.wantHeading("Not Found")
	b.shoot("error-404", false)
	if got := rec.take("404"); len(got) == 0 {
		t.Errorf("a missing staff member did not answer 404")
	}
	check("error page")

	// Sign out, then in again: password, then a code from a step not used before.
	b.submit(`form[action="/admin/logout"] button[type=submit]`)
	b.wantPath("/admin/login")
	b.fill("#email", srv.Email)
	b.fill("#password", newPassword)
	b.submit(`form[action="/admin/login"] button[type=submit]`)
	if b.count("#code") != 1 || b.count("#email") != 0 {
		t.Fatalf("after the password, the code step is not shown")
	}
	b.shoot("sign-in-code", false)
	for time.Now().Unix()/30 <= usedStep { // codes are single-use: wait for the next one
		time.Sleep(time.Until(time.Unix((usedStep+1)*30, 0)) + 200*time.Millisecond)
	}
	code, err = totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.fill("#code", code)
	b.submit(`form[action="/admin/login"] button[type=submit]`)
	b.wantPath("/admin/")
	b.wantHeading("Home")
	check("second sign-in")

	// The audit log tells the whole story.
	b.open("/admin/audit")
	b.wantHeading("Audit log")
	if got := b.text("table"); !strings.Contains(got, "staff.2fa_enrolled") {
		t.Errorf("the audit log does not show the enrolment")
	}
	b.shoot("audit", true)
	check("audit log")

	// Paging keeps the filters: fill more than a page with staff.list entries, then
	// follow "Older entries".
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	const lists = `Promise.all(Array.from({length: 55}, () => fetch("/admin/staff").then(r => r.status))).then(s => s.filter(x => x === 200).length)`
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](lists, chromedp.EvalAwaitPromise)); err != nil || n != 55 {
		t.Fatalf("loading the staff list 55 times: %d ok, %v", n, err)
	}
	b.open("/admin/audit?action=staff.list")
	firstPage := b.count("table tbody tr")
	newest := b.text("table tbody tr td")
	b.submit(`a[href*="before="]`)
	if q := b.location().Query(); q.Get("action") != "staff.list" || q.Get("before") == "" {
		t.Errorf("the older page lost the filter or the position: %s", b.location())
	}
	if rows := b.count("table tbody tr"); rows == 0 || firstPage != 50 || b.text("table tbody tr td") == newest {
		t.Errorf("paging: the first page shows %d rows, the older page %d starting at #%s", firstPage, rows, b.text("table tbody tr td"))
	}
	if got := b.count(`table tbody tr`) - b.count(`table tbody tr code.action`); got != 0 {
		t.Errorf("the older page shows %d rows that are not entries", got)
	}
	if n := strings.Count(b.text("table tbody"), "staff.list"); n != b.count("table tbody tr") {
		t.Errorf("the older page shows entries other than staff.list")
	}
	check("audit paging")

	// The recorder must see a CSP violation when one happens, or its silence means nothing.
	checkCSPCanary(t, b, rec)
}

// checkCSPCanary makes the page break its own Content Security Policy (an inline style) and
// checks that the recorder noticed.
func checkCSPCanary(t *testing.T, b *tab, rec *recorder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	const inline = `(() => { const s = document.createElement("style"); s.textContent = "body{}"; document.head.appendChild(s); return true })()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](inline)); err != nil {
		t.Fatalf("CSP canary: %v", err)
	}
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		if len(rec.take("Content Security Policy")) > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Error("an inline style broke the CSP and no violation was reported: the console checks are blind")
}
