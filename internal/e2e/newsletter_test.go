package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/mailpit"
)

// mailText returns the plain-text body of a message received by mailpit.
func mailText(t *testing.T, mp *mailpit.Server, id string) string {
	t.Helper()
	res, err := http.Get(mp.API + "/api/v1/message/" + url.PathEscape(id))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m struct{ Text, HTML string }
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m.Text
}

// linkPath finds the first link to s's public URL with the given path prefix in text.
func (s *server) linkPath(t *testing.T, text, prefix string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(s.url+prefix) + `\S+`)
	m := re.FindString(text)
	if m == "" {
		t.Fatalf("no %s%s… link in:\n%s", s.url, prefix, text)
	}
	return strings.TrimPrefix(m, s.url)
}

// solvedSubscribeForm fetches a challenge the way antibot.js does, solves it and waits
// out the time trap.
func (b *browser) solvedSubscribeForm(email, name string) url.Values {
	b.t.Helper()
	v := b.solved("subscribe")
	v.Set("email", email)
	v.Set("name", name)
	return v
}

func (in *install) count(t *testing.T, query string) int {
	t.Helper()
	db := in.openDB(t)
	defer db.Close()
	var n int
	if err := db.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Promise: contact details given when subscribing to the newsletter are used for
// administrative and identification purposes only and never kept after unsubscribing
// — end to end through a real SMTP server: subscribe → mail → GET confirm page (still
// pending) → POST → confirmed → campaign → one-click POST → erased and suppressed →
// re-import skipped; and the address and name are nowhere in the clear.
func TestNewsletterThroughMailpit(t *testing.T) {
	mp := mailpit.Start(t, mailpit.Options{})
	in := newInstall(t)
	const reader, readerName, ownerPW = "reader@example.com", "Rita Reader", "owner-password-123"
	in.canary(reader, readerName, ownerPW, "owner@example.com")
	if out, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	in.addOwner(t, ownerPW)
	s := in.serveWithRelay(mp, "--antibot-difficulty", "4", "--mail-from", "Northwind <news@example.com>", "--postal-address", "1 Main Street, Springfield")
	b := s.browser()

	// Subscribe through the public form; the confirmation arrives by SMTP.
	wantRedirect(t, b.post("/subscribe", b.solvedSubscribeForm(reader, readerName)), "/subscribe/thanks")
	msgs := mp.Wait(t, 1, 30*time.Second)
	if msgs[0].To[0].Address != reader || strings.Contains(msgs[0].Subject, readerName) {
		t.Fatalf("confirmation mail: to %v, subject %q", msgs[0].To, msgs[0].Subject)
	}
	text := mailText(t, mp, msgs[0].ID)
	if strings.Contains(text, readerName) {
		t.Fatal("the confirmation mail echoes the name typed into the form")
	}
	confirm := s.linkPath(t, text, "/subscribe/confirm/")
	want(t, b.get(confirm), http.StatusOK)
	if n := in.count(t, "SELECT COUNT(*) FROM subscribers WHERE status = 'pending'"); n != 1 {
		t.Fatalf("after the GET: %d pending; want 1 (a link scanner must not confirm)", n)
	}
	want(t, b.post(confirm, nil), http.StatusOK)
	if n := in.count(t, "SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'"); n != 1 {
		t.Fatalf("after the POST: %d confirmed; want 1", n)
	}

	// A campaign from the admin reaches the subscriber with RFC 8058 headers.
	staff := s.browser()
	wantRedirect(t, staff.post("/admin/login", url.Values{"email": {"owner@example.com"}, "password": {ownerPW}}), "/admin/")
	newsList := in.count(t, "SELECT id FROM newsletter_lists WHERE slug = 'news'")
	r := staff.post("/admin/campaigns", url.Values{"subject": {"Release 4.2"}, "body": {"# NetScan 4.2\n\nFaster **scans**."},
		"lists": {itoa(int64(newsList))}})
	want(t, r, http.StatusSeeOther)
	loc, _ := url.Parse(r.Header.Get("Location"))
	campaign := strings.TrimPrefix(loc.Path, "/admin/campaigns/")
	want(t, staff.post("/admin/campaigns/"+campaign+"/send", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	msgs = mp.Wait(t, 2, 30*time.Second)
	h := mp.Headers(t, msgs[0].ID)
	unsub := strings.Trim(first(h["List-Unsubscribe"]), "<>")
	if first(h["List-Unsubscribe-Post"]) != "List-Unsubscribe=One-Click" || !strings.HasPrefix(unsub, s.url+"/unsubscribe/") {
		t.Fatalf("campaign headers: List-Unsubscribe %q, List-Unsubscribe-Post %q", unsub, first(h["List-Unsubscribe-Post"]))
	}
	if ct := first(h["Content-Type"]); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Fatalf("campaign Content-Type %q; want multipart/alternative", ct)
	}

	// The mail client's one-click POST: no cookie, no redirect, unsubscribed at once.
	req, _ := http.NewRequest(http.MethodPost, unsub, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d; want 200 without a redirect", res.StatusCode)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Fatalf("%d subscribers after unsubscribing; the address must be erased", n)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM suppressions WHERE reason = 'unsubscribed'"); n != 1 {
		t.Fatalf("%d suppressions; want 1", n)
	}

	// Re-importing the unsubscribed address skips it; a new one goes in.
	in.canary("newcomer@example.com")
	preview := staff.upload("/admin/subscribers/import", "file", "list.csv", "email,name\n"+reader+",Rita\nnewcomer@example.com,New\n")
	want(t, preview, http.StatusOK)
	id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(preview.body)
	if id == nil {
		t.Fatalf("no preview id in:\n%.2000s", preview.body)
	}
	done := staff.post("/admin/subscribers/import/commit", url.Values{"id": {id[1]}, "consent": {"Signed up at our booth, 2026"},
		"lists": {itoa(int64(newsList))}})
	if done.StatusCode >= 400 {
		t.Fatalf("import commit: %d\n%.2000s", done.StatusCode, done.body)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM subscribers"); n != 1 {
		t.Fatalf("%d subscribers after the import; want 1 (the suppressed address skipped)", n)
	}

	s.stop()
	// Promise: personal data stays sealed: nothing in the data directory (database,
	// WAL, keys) or the logs holds the address or the name in any encoding.
	canary.AssertAbsent(t, "subscriber data is sealed at rest", []string{in.dir}, reader, readerName, "newcomer@example.com")
	for _, hit := range canary.FindIn("logs", []byte(in.logs.String()), reader, readerName, "newcomer@example.com") {
		t.Errorf("logs contain %q (%s)", hit.Canary, hit.Encoding)
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// upload posts one file as multipart/form-data, as a browser's file input does.
func (b *browser) upload(path, field, name, content string) resp {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	f, err := w.CreateFormFile(field, name)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = io.WriteString(f, content)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.s.url+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", b.s.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}
