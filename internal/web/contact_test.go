package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/pii"
)

// contactEncodings are the content types every defence is tested on.
var contactEncodings = []string{"form", "json", "multipart"}

// contactFields returns a contact form's fields with the anti-bot fields filled as
// antibot.js fills them; solve false leaves the proof-of-work out (no JavaScript).
func (e *env) contactFields(email string, solve bool) url.Values {
	e.t.Helper()
	ch, err := e.srv.forms.antibot.Issue(antibot.FormContact)
	if err != nil {
		e.t.Fatal(err)
	}
	v := url.Values{"name": {"Cora Canary"}, "email": {email}, "subject": {"Question about <b>NetScan</b>"},
		"message": {"Does the licence cover two laptops? <script>alert(1)</script>"}, antibot.FieldTime: {ch.TimeToken}}
	if solve {
		nonce, err := antibot.Solve(ch.PoW)
		if err != nil {
			e.t.Fatal(err)
		}
		v.Set(antibot.FieldChallenge, ch.PoW)
		v.Set(antibot.FieldNonce, nonce)
	}
	time.Sleep(5 * time.Millisecond) // the test env's time trap is 1 ms
	return v
}

// send posts v to /contact encoded as enc ("form", "json" or "multipart").
func (c *client) send(enc string, v url.Values) resp {
	var body bytes.Buffer
	ct := "application/x-www-form-urlencoded"
	switch enc {
	case "form":
		body.WriteString(v.Encode())
	case "json":
		m := map[string]string{}
		for k := range v {
			m[k] = v.Get(k)
		}
		_ = json.NewEncoder(&body).Encode(m)
		ct = "application/json"
	case "multipart":
		mw := multipart.NewWriter(&body)
		for k := range v {
			_ = mw.WriteField(k, v.Get(k))
		}
		_ = mw.Close()
		ct = mw.FormDataContentType()
	}
	req := c.newRequest(http.MethodPost, "/contact", &body)
	req.Header.Set("Content-Type", ct)
	return c.do(req)
}

// wantAccepted checks the success answer of each encoding.
func wantAccepted(t *testing.T, enc string, r resp) {
	t.Helper()
	if enc == "json" {
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"ok":true`) {
			t.Fatalf("%s: %d %s", enc, r.StatusCode, r.body)
		}
		return
	}
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/contact/thanks" {
		t.Fatalf("%s: %d %q\n%.800s", enc, r.StatusCode, r.Header.Get("Location"), r.body)
	}
}

// wantRefused checks a refusal that keeps what was typed: JSON gets the error code,
// a form post gets the contact page again with every field filled.
func wantRefused(t *testing.T, enc string, r resp, status int, v url.Values) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.800s", enc, r.StatusCode, status, r.body)
	}
	if enc == "json" {
		if !strings.Contains(r.body, `"code"`) {
			t.Fatalf("%s: %s", enc, r.body)
		}
		return
	}
	for _, k := range []string{"name", "email", "subject", "message"} {
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(v.Get(k))
		if !strings.Contains(r.body, esc) {
			t.Errorf("%s: the re-shown form lost the %s %q\n%.1500s", enc, k, v.Get(k), r.body)
		}
	}
	if strings.Contains(r.body, "<script>alert(1)</script>") {
		t.Errorf("%s: the message is shown unescaped", enc)
	}
}

func (e *env) folders() map[string]int {
	e.t.Helper()
	rows, err := e.db.Query(e.ctx, "SELECT folder, COUNT(*) FROM contact_conversations GROUP BY folder")
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var f string
		var n int
		if err := rows.Scan(&f, &n); err != nil {
			e.t.Fatal(err)
		}
		out[f] = n
	}
	return out
}

func TestContactAcceptedOnEveryContentType(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.canary("Cora Canary", "cora-form@example.com", "cora-json@example.com", "cora-multipart@example.com", "two laptops")
	for _, enc := range contactEncodings {
		wantAccepted(t, enc, c.send(enc, e.contactFields("cora-"+enc+"@example.com", true)))
	}
	if f := e.folders(); f["new"] != 3 || len(f) != 1 {
		t.Fatalf("folders %v", f)
	}
	// Purpose limitation: no subscriber, suppression or newsletter mail, and no
	// automatic mail to the sender (no backscatter).
	for _, q := range []string{"SELECT COUNT(*) FROM subscribers", "SELECT COUNT(*) FROM suppressions",
		"SELECT COUNT(*) FROM mail_outbox WHERE purpose <> 'contact.notify'"} {
		if n := e.count(q); n != 0 {
			t.Errorf("%s = %d", q, n)
		}
	}
	if n := e.count("SELECT COUNT(*) FROM mail_outbox WHERE to_index = ?", e.srv.forms.newsletter.Sealer().Index("subscriber.email", "cora-form@example.com")); n != 0 {
		t.Errorf("%d automatic mails to the sender", n)
	}
	if r := c.get("/contact/thanks"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, contactMessage) {
		t.Errorf("thanks page %d", r.StatusCode)
	}
}

// A honeypot hit is answered exactly as a success and stores nothing.
func TestContactHoneypotEveryContentType(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, enc := range contactEncodings {
		v := e.contactFields("bot-"+enc+"@example.com", true)
		v.Set(antibot.FieldHoneypot, "http://spam.example")
		wantAccepted(t, enc, c.send(enc, v))
	}
	if n := e.count("SELECT COUNT(*) FROM contact_conversations") + e.count("SELECT COUNT(*) FROM mail_outbox"); n != 0 {
		t.Fatalf("a honeypot submission stored %d rows", n)
	}
}

// The time trap: too fast, expired and forged tokens are refused (400) and the form
// comes back with what the person typed.
func TestContactTimeTrapEveryContentType(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	clock := time.Now()
	now := func() time.Time { return clock }
	for _, enc := range contactEncodings {
		for _, tc := range []struct {
			name string
			cfg  antibot.Config
			tune func(url.Values)
			wait time.Duration
		}{
			{"too fast", antibot.Config{MinAge: time.Hour}, nil, 0},
			{"expired", antibot.Config{MinAge: time.Millisecond, MaxAge: time.Hour, ChallengeTTL: 10 * time.Hour, Now: now}, nil, 2 * time.Hour},
			{"forged", antibot.Config{MinAge: time.Millisecond}, func(v url.Values) { v.Set(antibot.FieldTime, "v1.forged.token") }, 0},
			{"other form", antibot.Config{MinAge: time.Millisecond}, func(v url.Values) {
				ch, _ := e.srv.forms.antibot.Issue(antibot.FormSubscribe)
				v.Set(antibot.FieldTime, ch.TimeToken)
			}, 0},
		} {
			tc.cfg.MAC = e.srv.forms.newsletter.Sealer().Index
			if tc.cfg.Now == nil {
				tc.cfg.Now = time.Now
			}
			g, err := antibot.New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			e.srv.forms.antibot = g
			v := e.contactFields("trap@example.com", true)
			if tc.tune != nil {
				tc.tune(v)
			}
			clock = clock.Add(tc.wait)
			t.Run(enc+" "+tc.name, func(t *testing.T) { wantRefused(t, enc, c.send(enc, v), http.StatusBadRequest, v) })
		}
	}
	if n := e.count("SELECT COUNT(*) FROM contact_conversations"); n != 0 {
		t.Fatalf("%d stored", n)
	}
}

// Proof-of-work: missing files into "needs review" (never lost); wrong or replayed
// is refused.
func TestContactProofOfWorkEveryContentType(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, enc := range contactEncodings {
		e.freshGuard() // the per-IP limit is not under test here
		wantAccepted(t, enc, c.send(enc, e.contactFields("nojs-"+enc+"@example.com", false)))

		wrong := e.contactFields("wrong-"+enc+"@example.com", true)
		wrong.Set(antibot.FieldNonce, "0")
		if wrong.Get(antibot.FieldNonce) == "0" {
			wantRefused(t, enc, c.send(enc, wrong), http.StatusBadRequest, wrong)
		}

		once := e.contactFields("replay-"+enc+"@example.com", true)
		wantAccepted(t, enc, c.send(enc, once))
		wantRefused(t, enc, c.send(enc, once), http.StatusBadRequest, once)
	}
	if f := e.folders(); f["review"] != 3 || f["new"] != 3 || len(f) != 2 {
		t.Fatalf("folders %v", f)
	}
}

// Rate limits per IP and per address answer 429 on every content type.
func TestContactRateLimitsEveryContentType(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, enc := range contactEncodings {
		g, err := antibot.New(antibot.Config{MAC: e.srv.forms.newsletter.Sealer().Index, MinAge: time.Millisecond,
			IPBurst: 5, IPInterval: time.Hour, AddressBurst: 2, AddressInterval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		e.srv.forms.antibot = g
		for i := range 2 {
			wantAccepted(t, enc, c.send(enc, e.contactFields("same@example.com", false)))
			_ = i
		}
		v := e.contactFields("Same@Example.com", false)
		wantRefused(t, enc, c.send(enc, v), http.StatusTooManyRequests, v)
		for i := range 2 {
			wantAccepted(t, enc, c.send(enc, e.contactFields("other"+string(rune('a'+i))+"@example.com", false)))
		}
		v = e.contactFields("fresh@example.com", false)
		wantRefused(t, enc, c.send(enc, v), http.StatusTooManyRequests, v)
	}
	if n := e.count("SELECT COUNT(*) FROM contact_conversations"); n != 12 {
		t.Fatalf("%d stored; want 4 per encoding", n)
	}
}

// Content heuristics file into spam, never drop; spam notifies nobody.
func TestContactSpamEveryContentType(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, enc := range contactEncodings {
		v := e.contactFields("seo-"+enc+"@example.com", true)
		v.Set("message", "CHEAP VIAGRA CASINO!!! http://a.example http://b.example http://c.example bit.ly/x backlinks")
		wantAccepted(t, enc, c.send(enc, v))
	}
	if f := e.folders(); f["spam"] != 3 || len(f) != 1 {
		t.Fatalf("folders %v", f)
	}
	var signals string
	if err := e.db.QueryRow(e.ctx, "SELECT spam_signals FROM contact_conversations LIMIT 1").Scan(&signals); err != nil || !strings.Contains(signals, "spam_phrase") {
		t.Errorf("signals %q %v", signals, err)
	}
}

// No header injection through any field, on any content type; invalid input keeps
// what was typed.
func TestContactHeaderInjectionRefused(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, enc := range contactEncodings {
		e.freshGuard()
		for field, bad := range map[string]string{
			"name": "Eve\r\nBcc: victim@example.com", "subject": "Hi\nBcc: victim@example.com",
			"email": "eve@example.com\r\nBcc: victim@example.com",
		} {
			v := e.contactFields("eve@example.com", true)
			v.Set(field, bad)
			r := c.send(enc, v)
			if r.StatusCode != http.StatusBadRequest {
				t.Errorf("%s %s: %d", enc, field, r.StatusCode)
			}
			if enc != "json" && !strings.Contains(r.body, "Does the licence cover two laptops?") {
				t.Errorf("%s %s: the message was lost from the page", enc, field)
			}
		}
		v := e.contactFields("eve@example.com", true)
		v.Set("message", "")
		wantRefused(t, enc, c.send(enc, v), http.StatusBadRequest, v)
	}
	if n := e.count("SELECT COUNT(*) FROM contact_conversations"); n != 0 {
		t.Fatalf("%d stored", n)
	}
}

func TestContactPagesAndConfig(t *testing.T) {
	e := newEnv(t, "--site-origin", "https://www.vendor.example", "--contact-thanks-url", "https://www.vendor.example/thanks", "--demo")
	c := e.client()
	r := c.get("/contact")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `data-candor-antibot="contact"`) || !strings.Contains(r.body, `name="`+antibot.FieldTime+`"`) ||
		!strings.Contains(r.body, `name="website"`) || !strings.Contains(r.body, "antibot") {
		t.Fatalf("contact page: %d\n%.1000s", r.StatusCode, r.body)
	}
	demo := c.get("/")
	if !strings.Contains(demo.body, `data-slot="contact"`) || !strings.Contains(demo.body, `action="/contact"`) {
		t.Fatalf("demo site has no contact form:\n%.3000s", demo.body)
	}
	v := e.contactFields("cfg@example.com", true)
	if p := c.post("/contact", v); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "https://www.vendor.example/thanks" {
		t.Fatalf("thanks URL: %d %q", p.StatusCode, p.Header.Get("Location"))
	}
	req := c.newRequest(http.MethodOptions, "/contact", nil)
	req.Header.Set("Origin", "https://www.vendor.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	if p := c.do(req); p.StatusCode != http.StatusNoContent || p.Header.Get("Access-Control-Allow-Origin") != "https://www.vendor.example" {
		t.Fatalf("preflight: %d %q", p.StatusCode, p.Header.Get("Access-Control-Allow-Origin"))
	}
	req = c.newRequest(http.MethodOptions, "/contact", nil)
	req.Header.Set("Origin", "https://evil.example")
	if p := c.do(req); p.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("preflight allowed a foreign origin")
	}
	// The stored address is sealed, the sender findable only by blind index.
	norm, _ := pii.NormalizeEmail("cfg@example.com")
	if n := e.count("SELECT COUNT(*) FROM contact_conversations WHERE email_index = ?", e.srv.forms.contact.EmailIndex(norm)); n != 1 {
		t.Fatalf("blind index: %d", n)
	}
}

// freshGuard replaces the server's anti-bot guard with a new one (empty rate limits).
func (e *env) freshGuard() {
	e.t.Helper()
	g, err := antibot.New(antibot.Config{MAC: e.srv.forms.newsletter.Sealer().Index, MinAge: time.Millisecond})
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv.forms.antibot = g
}
