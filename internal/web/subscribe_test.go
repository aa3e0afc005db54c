package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/mail"
)

// solvedFields returns the hidden anti-bot fields of a subscribe form, solved as
// antibot.js would solve them in a browser.
func (e *env) solvedFields() url.Values {
	e.t.Helper()
	return e.solvedFor(antibot.FormSubscribe)
}

// solvedFor returns the hidden anti-bot fields of any form, solved.
func (e *env) solvedFor(form string) url.Values {
	e.t.Helper()
	ch, err := e.srv.forms.antibot.Issue(form)
	if err != nil {
		e.t.Fatal(err)
	}
	nonce, err := antibot.Solve(ch.PoW)
	if err != nil {
		e.t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // the test env's time trap is 1 ms
	return url.Values{antibot.FieldTime: {ch.TimeToken}, antibot.FieldChallenge: {ch.PoW}, antibot.FieldNonce: {nonce}}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// confirmationLink opens the newest confirmation mail in the outbox and returns its link path.
func (e *env) confirmationLink() string {
	e.t.Helper()
	return e.outboxLink("newsletter.confirm", "/subscribe/confirm/")
}

// outboxLink opens the newest mail of purpose in the outbox and returns its first
// link whose path starts with prefix.
func (e *env) outboxLink(purpose, prefix string) string {
	e.t.Helper()
	var q mail.Queued
	err := e.db.QueryRow(context.Background(), "SELECT to_sealed, content_sealed FROM mail_outbox WHERE purpose = ? ORDER BY id DESC LIMIT 1", purpose).
		Scan(&q.ToSealed, &q.ContentSealed)
	if err != nil {
		e.t.Fatal(err)
	}
	_, c, err := mail.Open(e.srv.forms.newsletter.Sealer(), q)
	if err != nil {
		e.t.Fatal(err)
	}
	i := strings.Index(c.Text, prefix)
	if i < 0 {
		e.t.Fatalf("no link in %q", c.Text)
	}
	return strings.Fields(c.Text[i:])[0]
}

// Promise: contact details given when subscribing are used to administer the
// subscription only — double opt-in through a POST, and no enumeration of who is known.
func TestSubscribeFormPostAndConfirm(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.canary("reader@example.com", "Reader Name")
	form := e.solvedFields()
	form.Set("email", "reader@example.com")
	form.Set("name", "Reader Name")
	r := c.post("/subscribe", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/subscribe/thanks" {
		t.Fatalf("form post: %d %s\n%.500s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	link := e.confirmationLink()
	if g := c.get(link); g.StatusCode != http.StatusOK || !strings.Contains(g.body, "<form method=\"post\"") {
		t.Fatalf("confirm page: %d\n%.500s", g.StatusCode, g.body)
	}
	if e.count("SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'") != 0 {
		t.Fatal("a GET confirmed the subscription: link scanners would confirm it")
	}
	if p := c.post(link, nil); p.StatusCode != http.StatusOK {
		t.Fatalf("confirm POST: %d\n%.500s", p.StatusCode, p.body)
	}
	if e.count("SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'") != 1 {
		t.Fatal("the POST did not confirm")
	}
	// The same address again, by JSON: the very same answer.
	again := e.solvedFields()
	body := map[string]any{"email": "reader@example.com"}
	for k := range again {
		body[k] = again.Get(k)
	}
	b, _ := json.Marshal(body)
	req := c.newRequest(http.MethodPost, "/subscribe", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	j := c.do(req)
	if j.StatusCode != http.StatusOK || !strings.Contains(j.body, subscribeMessage) {
		t.Fatalf("JSON subscribe of a known address: %d %s", j.StatusCode, j.body)
	}
}

// Every way in gets the same defences: a bad time token is refused for form and JSON
// alike, a filled honeypot is answered as a success and stores nothing, and unknown
// content types are refused.
func TestSubscribeDefencesOnEveryContentType(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	bad := url.Values{"email": {"x@example.com"}, "name": {"Kept Name"}, antibot.FieldTime: {"forged"}}
	r := c.post("/subscribe", bad)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, `value="x@example.com"`) || !strings.Contains(r.body, `value="Kept Name"`) {
		t.Fatalf("forged time token by form: %d; the page must keep what was typed\n%.800s", r.StatusCode, r.body)
	}
	req := c.newRequest(http.MethodPost, "/subscribe", strings.NewReader(`{"email":"x@example.com","candor_time":"forged"}`))
	req.Header.Set("Content-Type", "application/json")
	if j := c.do(req); j.StatusCode != http.StatusBadRequest || !strings.Contains(j.body, `"code":"invalid"`) {
		t.Fatalf("forged time token by JSON: %d %s", j.StatusCode, j.body)
	}
	hp := e.solvedFields()
	hp.Set("email", "bot@example.com")
	hp.Set(antibot.FieldHoneypot, "http://spam.example")
	if h := c.post("/subscribe", hp); h.StatusCode != http.StatusSeeOther {
		t.Fatalf("honeypot: %d; want the success answer", h.StatusCode)
	}
	if n := e.count("SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Fatalf("honeypot submission stored %d subscribers", n)
	}
	req = c.newRequest(http.MethodPost, "/subscribe", strings.NewReader("email=x@example.com"))
	req.Header.Set("Content-Type", "text/plain")
	if u := c.do(req); u.StatusCode != http.StatusBadRequest {
		t.Fatalf("text/plain: %d", u.StatusCode)
	}
	inj := e.solvedFields()
	inj.Set("email", "x@example.com")
	inj.Set("name", "Eve\r\nBcc: victim@example.com")
	if i := c.post("/subscribe", inj); i.StatusCode != http.StatusBadRequest {
		t.Fatalf("header injection in the name: %d", i.StatusCode)
	}
}

// Without JavaScript (no proof-of-work) a person can still subscribe: the double
// opt-in mail is the real check, and it is sent at most once per interval.
func TestSubscribeWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	page := c.get("/subscribe")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, antibot.FieldTime) {
		t.Fatalf("subscribe page: %d\n%.500s", page.StatusCode, page.body)
	}
	fields := e.solvedFields()
	form := url.Values{"email": {"nojs@example.com"}, antibot.FieldTime: {fields.Get(antibot.FieldTime)}}
	if r := c.post("/subscribe", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("no-JS sign-up: %d\n%.500s", r.StatusCode, r.body)
	}
	if n := e.count("SELECT COUNT(*) FROM subscribers WHERE status = 'pending'"); n != 1 {
		t.Fatalf("%d pending subscribers; want 1", n)
	}
}

// The vendor's site may post from the browser (CORS for its origin only); other sites
// are refused by the cross-origin protection.
func TestSubscribeCrossOrigin(t *testing.T) {
	e := newEnv(t, "--site-origin", "https://www.vendor.example")
	c := e.client()
	post := func(origin string) resp {
		f := e.solvedFields()
		f.Set("email", "cors@example.com")
		req := c.newRequest(http.MethodPost, "/subscribe", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		return c.do(req)
	}
	if r := post("https://www.vendor.example"); r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusOK ||
		r.Header.Get("Access-Control-Allow-Origin") != "https://www.vendor.example" {
		t.Fatalf("vendor origin: %d, ACAO %q", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}
	if r := post("https://evil.example"); r.StatusCode != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign origin: %d, ACAO %q", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}
}

func FuzzDecodePublicForm(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "email=a%40b.c&list=a&list=b")
	f.Add("application/json", `{"email":"a@b.c","list":["a","b"],"n":1,"x":null}`)
	f.Add("application/json", `{"a":{"b":1}}`)
	f.Add("multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@b.c\r\n--X--\r\n")
	f.Add("text/plain", "x")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		req, err := http.NewRequest(http.MethodPost, "/subscribe", strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", contentType)
		req.Body = http.MaxBytesReader(nil, req.Body, 1<<16)
		form, err := decodePublicForm(req)
		if err != nil {
			return
		}
		n := 0
		for _, vs := range form.values {
			n += len(vs)
			for _, v := range vs {
				if len(v) > maxPublicFieldBytes {
					t.Fatalf("a %d-byte field passed", len(v))
				}
			}
		}
		if n > maxPublicFields {
			t.Fatalf("%d fields passed", n)
		}
	})
}

// A file part in a public multipart form is discarded unread (readMultipartFields never
// spills a part to a temporary file, as ParseMultipartForm would), and the text fields
// around it still arrive.
func TestPublicMultipartIgnoresFileParts(t *testing.T) {
	e := newEnv(t, "--max-body", "8388608")
	c := e.client()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range e.solvedFields() {
		_ = w.WriteField(k, v[0])
	}
	_ = w.WriteField("email", "multipart@example.com")
	f, _ := w.CreateFormFile("attachment", "big.bin")
	_, _ = f.Write(bytes.Repeat([]byte("canary-file-content "), 200_000)) // 4 MB
	_ = w.Close()
	req := c.newRequest(http.MethodPost, "/subscribe", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if r := c.do(req); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("multipart sign-up with a file part: %d\n%.500s", r.StatusCode, r.body)
	}
	if n := e.count("SELECT COUNT(*) FROM subscribers"); n != 1 {
		t.Fatalf("%d subscribers; the text fields of the multipart form were not read", n)
	}
}
