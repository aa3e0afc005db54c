package browser

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/candor-dev/candor/internal/cli"
	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/mailpit"
)

// TestContactInbox is the contact feature end to end in a real browser, with a real
// SMTP relay (mailpit): a visitor writes through the demo site's contact form (its
// anti-bot script solving a real proof-of-work), a support member reads the message in
// the inbox and replies; the reply reaches the relay threaded (In-Reply-To and
// References naming the conversation's thread); an analyst is refused the
// conversation (403). Every page must load without a console error or CSP violation
// and without a request to any host but the server's.
func TestContactInbox(t *testing.T) {
	chromiumPath(t) // skip (or fail in CI) before starting anything
	mp := startRelay(t)
	data := t.TempDir()
	ca := filepath.Join(t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(ca, mp.Cert.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	const (
		support, analyst = "sue.support@example.com", "andy.analyst@example.com"
		password         = "a calm and quick inbox 42"
		visitor, name    = "vera.visitor@example.com", "Vera Visitor"
		subject          = "My licence key does not work"
		message          = "Hello,\nthe key from my receipt is refused with \"invalid key\".\nCould you help?"
		answer           = "Hi Vera,\nhere is a fresh key: NW-1234-5678.\nSue"
	)
	// The members, made on the command line as an operator would, before serving.
	candor := func(stdin string, args ...string) {
		t.Helper()
		out := &canary.Buffer{}
		err := cli.Run(context.Background(), append(args, "--data-dir", data),
			cli.Env{Getenv: func(string) string { return "" }, Stdin: strings.NewReader(stdin), Stdout: out, Stderr: out})
		if err != nil {
			t.Fatalf("candor %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
	}
	candor("", "migrate")
	candor(password+"\n", "staff", "add", "--email", support, "--role", "support")
	candor(password+"\n", "staff", "add", "--email", analyst, "--role", "analyst")
	srv := startServerWith(t, data, "--smtp", mp.URL("smtp", "", "").String(), "--smtp-allow-private",
		"--smtp-ca-file", ca, "--antibot-difficulty", "8")
	db := openSQLite(t, filepath.Join(data, "candor.db"))
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }
	const form = `.demo-site [data-slot="contact"] form.contact-form`

	// The visitor writes through the vendor's website.
	b.open("/")
	if n := b.count(form + `[method="post"][action="/contact"]`); n != 1 {
		t.Fatalf("the contact slot holds %d contact forms posting to /contact, want 1", n)
	}
	b.fill(form+` input[name="name"]`, name)
	b.fill(form+` input[name="email"]`, visitor)
	b.fill(form+` input[name="subject"]`, subject)
	b.typeInto(form+` textarea[name="message"]`, message)
	typed := time.Now()
	b.waitFor(`(document.querySelector(`+jsString(form+` input[name="candor_nonce"]`)+`)?.value || "") !== ""`,
		"antibot.js to fill in its proof-of-work solution")
	time.Sleep(time.Until(typed.Add(3 * time.Second))) // the time trap
	// A slow page load on a loaded machine is no lost click: a second click then would
	// land on a page already going.
	if !b.trySubmit(form+` button[type=submit]`, stepTimeout) {
		b.submit(form + ` button[type=submit]`)
	}
	b.wantPath("/contact/thanks")
	check("contact form")

	var id int64
	var folder, thread string
	if err := db.QueryRowContext(context.Background(), "SELECT id, folder, thread_id FROM contact_conversations").Scan(&id, &folder, &thread); err != nil {
		t.Fatalf("the message was not stored: %v", err)
	}
	if folder != "new" {
		t.Errorf("a message with the proof-of-work solved landed in %q, want new", folder)
	}
	page := "/admin/inbox/" + strconv.FormatInt(id, 10)

	// Support signs in and finds it in the inbox.
	signIn(b, support, password)
	check("support sign-in")
	b.open("/admin/inbox")
	b.wantHeading("Inbox")
	row := `table.inbox-list a.subject[href="` + page + `"]`
	if got := b.text(row); got != subject {
		t.Errorf("the inbox row's subject is %q, want %q", got, subject)
	}
	if got := b.text(`.inbox-tabs a[aria-current="page"]`); !strings.HasPrefix(got, "New") || !strings.HasSuffix(got, "1") {
		t.Errorf("the current folder tab reads %q, want New with a count of 1", got)
	}
	if got := b.text("table.inbox-list tbody"); !strings.Contains(got, name) || strings.Contains(got, visitor) {
		t.Errorf("the inbox row shows %q: want the name, and no address on the list", got)
	}
	b.shoot("inbox", true)
	check("inbox")

	b.submit(row) // a link: clicking it loads the conversation
	b.wantPath(page)
	b.wantHeading(subject)
	if got := b.text(".msg-in .msg-body"); got != strings.TrimSpace(message) {
		t.Errorf("the message reads %q, want %q", got, message)
	}
	if got := b.text(".sender-email"); got != visitor {
		t.Errorf("the sender's address reads %q", got)
	}
	if got := b.text(".logged"); !strings.Contains(got, "Your view of this page is logged") {
		t.Errorf("the page does not say the view is logged: %q", got)
	}
	b.typeInto("#reply", answer)
	b.submit(`form[action="` + page + `/reply"] button[type=submit]`)
	b.wantPath(page)
	if got := b.text(".flash"); !strings.Contains(got, "reply is on its way") {
		t.Errorf("after replying the notice reads %q", got)
	}
	if got := b.text(".msg-out .msg-body"); got != answer {
		t.Errorf("the reply in the thread reads %q", got)
	}
	b.press(".note-form summary") // the note form is folded away until asked for
	b.typeInto("#note", "Checked the order: paid.")
	b.submit(`form[action="` + page + `/note"] button[type=submit]`)
	if got := b.text(".msg-note"); !strings.Contains(got, "Internal note") || !strings.Contains(got, "Checked the order: paid.") {
		t.Errorf("the note reads %q, want it marked internal", got)
	}
	b.shoot("inbox-conversation", true)
	check("conversation")

	// The reply reaches the relay, threaded, from the configured address.
	var reply mailpit.Summary
	deadline := time.Now().Add(30 * time.Second)
	for reply.ID == "" {
		for _, m := range mp.Messages(t) {
			if m.Subject == "Re: "+subject {
				reply = m
			}
		}
		if reply.ID == "" {
			if time.Now().After(deadline) {
				t.Fatalf("no reply reached the relay within 30s; it has %+v", mp.Messages(t))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if len(reply.To) != 1 || reply.To[0].Address != visitor {
		t.Errorf("the reply went to %v, want %s", reply.To, visitor)
	}
	h := mp.Headers(t, reply.ID)
	root := strings.Trim(thread, "<>")
	if got := strings.Join(h["In-Reply-To"], " "); strings.Trim(got, "<> ") != root {
		t.Errorf("In-Reply-To %q, want the thread's root <%s>", got, root)
	}
	if got := strings.Join(h["References"], " "); !strings.Contains(got, root) {
		t.Errorf("References %q does not name the thread's root <%s>", got, root)
	}
	if body := mailBody(t, mp, reply.ID); !strings.Contains(body, "NW-1234-5678") || strings.Contains(body, "Checked the order") {
		t.Errorf("the reply's text is wrong, or carries the internal note:\n%s", body)
	}
	for _, m := range mp.Messages(t) { // the staff notifications: a link, never the message
		if m.ID != reply.ID && strings.Contains(mailBody(t, mp, m.ID), "invalid key") {
			t.Errorf("the mail %q to %v carries the message's text", m.Subject, m.To)
		}
	}

	// An analyst may not open it.
	b.submit(`form[action="/admin/logout"] button[type=submit]`)
	signIn(b, analyst, password)
	b.open(page)
	if got := rec.take("HTTP 403 for " + srv.URL + page); len(got) != 1 {
		t.Errorf("an analyst opening the conversation was not answered 403 (recorded: %v)", got)
	}
	rec.take("status of 403")
	if got := b.text("main"); strings.Contains(got, visitor) || strings.Contains(got, subject) {
		t.Error("the 403 page shows the conversation")
	}
	if b.count(`.sidebar a[href="/admin/inbox"]`) != 0 {
		t.Error("the analyst's navigation offers the inbox")
	}
	check("analyst refused")

	checkCSPCanary(t, b, rec)
}

// signIn signs in through the sign-in page as a member who owes no password change.
func signIn(b *tab, email, password string) {
	b.t.Helper()
	b.open("/admin/login")
	b.fill("#email", email)
	b.fill("#password", password)
	b.submit(`form[action="/admin/login"] button[type=submit]`)
	b.wantPath("/admin/")
}

// typeInto types value into an empty field sel (chromedp.Clear refuses an empty textarea).
func (b *tab) typeInto(sel, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), value)); err != nil {
		b.t.Fatalf("type into %s: %v", sel, err)
	}
}

// press clicks the element sel without waiting for a page load.
func (b *tab) press(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
}
