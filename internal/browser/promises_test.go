package browser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPromisesPage: a card number left in a note in the data directory turns the
// promise "Your credit card number is not kept or recorded by … or our computers" red
// on the Promises page, after the owner presses "Run the checks now", with a red dot
// on the navigation; the page names the file, never the number. With the note gone, a
// new run turns it green again. No console error, CSP violation or foreign request.
func TestPromisesPage(t *testing.T) {
	chromiumPath(t)
	data := t.TempDir()
	const card = "5425 2334 3010 9903"
	note := filepath.Join(data, "support-notes.txt")
	if err := os.WriteFile(note, []byte("customer read their card over the phone: "+card+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServerWith(t, data)
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }
	signInDemoOwner(b, srv, "a calm and quick owner 42")
	check("sign-in")

	b.open("/admin/promises")
	b.wantHeading("Promises")
	b.submit(`form[action="/admin/promises/run"] button[type=submit]`)
	b.wantPath("/admin/promises")
	if b.count("#check-card-numbers.check-red") != 1 || b.count(".promise.promise-red") == 0 {
		t.Errorf("the planted card number does not turn its check and promise red:\n%s", b.text("main"))
	}
	if b.count("section.promise:first-of-type.promise-red") != 1 {
		t.Error("the red promise is not shown first")
	}
	if b.count(`.nav a[href="/admin/promises"] .nav-alert`) != 1 {
		t.Error("no red dot on the navigation's Promises item while a check is red")
	}
	text := b.text("main")
	if !strings.Contains(text, "support-notes.txt") {
		t.Errorf("the listing does not name the file: %s", b.text("#check-card-numbers"))
	}
	for _, v := range []string{card, strings.ReplaceAll(card, " ", "")} {
		if strings.Contains(text, v) {
			t.Errorf("the page shows the planted card number %q", v)
		}
	}
	b.shoot("promises-red", true)
	check("promises red")

	if err := os.Remove(note); err != nil {
		t.Fatal(err)
	}
	b.submit(`form[action="/admin/promises/run"] button[type=submit]`)
	if b.count("#check-card-numbers.check-ok") != 1 {
		t.Errorf("with the note gone the card check is not green:\n%s", b.text("#check-card-numbers"))
	}
	b.shoot("promises-green", false)
	check("promises green")
}

// signInDemoOwner signs in as the demo owner and replaces the one-time password.
func signInDemoOwner(b *tab, srv *server, newPassword string) {
	b.t.Helper()
	b.open("/admin/login")
	b.fill("#email", srv.Email)
	b.fill("#password", srv.Password)
	b.submit(`form[action="/admin/login"] button[type=submit]`)
	b.fill("#current", srv.Password)
	b.fill("#password", newPassword)
	b.fill("#confirm", newPassword)
	b.submit(`form[action="/admin/account/password"] button[type=submit]`)
}
