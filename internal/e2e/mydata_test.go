package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/mailpit"
)

// solved returns the anti-bot fields of a form, fetched and solved the way antibot.js
// does, after waiting out the time trap.
func (b *browser) solved(form string) url.Values {
	b.t.Helper()
	r := b.get("/antibot/challenge?form=" + form)
	want(b.t, r, http.StatusOK)
	var ch antibot.Challenge
	if err := json.Unmarshal([]byte(r.body), &ch); err != nil {
		b.t.Fatal(err)
	}
	nonce, err := antibot.Solve(ch.PoW)
	if err != nil {
		b.t.Fatal(err)
	}
	time.Sleep(time.Duration(ch.MinWaitMS)*time.Millisecond + 50*time.Millisecond)
	return url.Values{antibot.FieldTime: {ch.TimeToken}, antibot.FieldChallenge: {ch.PoW}, antibot.FieldNonce: {nonce}}
}

// solvedMyData is the /my-data form as antibot.js would send it.
func (b *browser) solvedMyData(email string) url.Values {
	b.t.Helper()
	v := b.solved("my-data")
	v.Set("email", email)
	return v
}

// myDataMail asks /my-data for a link to addr and returns the link's path and token
// from the mail that arrives.
func (s *server) myDataMail(t *testing.T, mp *mailpit.Server, addr string) (path, token string) {
	t.Helper()
	b := s.browser()
	wantRedirect(t, b.post("/my-data", b.solvedMyData(addr)), "/my-data/sent")
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, m := range mp.Messages(t) {
			if len(m.To) == 1 && m.To[0].Address == addr && strings.HasPrefix(m.Subject, "Your data at") {
				path = s.linkPath(t, mailText(t, mp, m.ID), "/my-data/view?t=")
				u, _ := url.Parse(path)
				return path, u.Query().Get("t")
			}
		}
	}
	t.Fatalf("no /my-data mail to %s within 30 s", addr)
	return "", ""
}

// sealedOf reads sealed values (to search the files for after an erasure).
func (in *install) sealedOf(t *testing.T, query string) []string {
	t.Helper()
	db := in.openDB(t)
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// Promise (issue 10 §3): a person sees, exports and erases what Candor holds on them
// through /my-data, end to end with a real SMTP server, on either database: a
// subscription, a conversation (with a reply, never the internal note), a paid order
// (kept only for the legal retention, marked) and an abandoned checkout. The link is
// mailed whether or not the address is known, with the same answer; a forged or used
// link opens nothing; every step is audited without an address; and on SQLite the
// erased values (plain and sealed) are nowhere in the data directory.
func TestMyDataThroughMailpit(t *testing.T) {
	mp := mailpit.Start(t, mailpit.Options{})
	in := newInstall(t)
	const who, name, subject, text, reply, note, ownerPW = "cara@buyer.example", "Cara Card", "Canary my-data subject",
		"Canary my-data message 5521", "Canary reply 6631", "Canary internal note 7741", "owner-password-123"
	in.canary(who, name, subject, text, reply, note, ownerPW, "owner@example.com", "stranger@example.com")
	for _, args := range [][]string{{"migrate"}, {"products", "add", "--slug", "northwind", "--name", "Northwind", "--edition", "std:Standard:49.00:EUR"}} {
		if out, err := in.candor("", nil, append(args, in.args()...)...); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
	}
	in.addOwner(t, ownerPW)
	s := in.serveWithRelay(mp, "--antibot-difficulty", "4", "--mail-from", "Northwind <news@example.com>")
	b := s.browser()

	// Every kind of record under one address.
	wantRedirect(t, b.post("/subscribe", b.solvedSubscribeForm(who, name)), "/subscribe/thanks")
	in.waitCount(t, "SELECT COUNT(*) FROM subscribers", 1) // the sign-up is joined after the answer
	wantRedirect(t, b.post("/contact", b.solvedContactForm(name, who, subject, text)), "/contact/thanks")
	staff := s.browser()
	wantRedirect(t, staff.post("/admin/login", url.Values{"email": {"owner@example.com"}, "password": {ownerPW}}), "/admin/")
	conv := itoa(int64(in.count(t, "SELECT MAX(id) FROM contact_conversations")))
	want(t, staff.post("/admin/inbox/"+conv+"/reply", url.Values{"reply": {reply}}), http.StatusSeeOther)
	want(t, staff.post("/admin/inbox/"+conv+"/note", url.Values{"note": {note}}), http.StatusSeeOther)
	u := buyer{t, s.browser()}
	if r := u.pay(u.order(), "4242 4242 4242 4242", "12/34"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("paid order: %d\n%s", r.StatusCode, r.body)
	}
	u.order() // abandoned at the payment page

	// The same answer for an unknown address, and a mail to it too.
	_, _ = s.myDataMail(t, mp, "stranger@example.com")
	view, token := s.myDataMail(t, mp, who)

	r := b.get(view)
	want(t, r, http.StatusOK)
	for _, s := range []string{name, text, reply, "4242", "Northwind", "INV-", "Newsletter", "pending", "10 years"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the view lacks %q", s)
		}
	}
	if strings.Contains(r.body, note) {
		t.Error("the view shows an internal note")
	}
	want(t, b.get("/my-data/view?t=forged"+token[5:]), http.StatusNotFound)
	exp := b.post("/my-data/view/export", url.Values{"t": {token}})
	if exp.StatusCode != http.StatusOK || exp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s", exp.StatusCode, exp.Header.Get("Content-Type"))
	}

	// Sealed values of what erasure removes (the paid order's buyer is kept, marked).
	sealed := in.sealedOf(t, "SELECT email_sealed FROM subscribers UNION ALL SELECT name_sealed FROM subscribers"+
		" UNION ALL SELECT subject_sealed FROM contact_conversations UNION ALL SELECT body_sealed FROM contact_messages"+
		" UNION ALL SELECT name_sealed FROM shop_orders WHERE status = 'pending' UNION ALL SELECT email_sealed FROM shop_orders WHERE status = 'pending'")
	confirm := b.post("/my-data/view/erase", url.Values{"t": {token}})
	if confirm.StatusCode != http.StatusOK || !strings.Contains(confirm.body, "Yes, erase it") || !strings.Contains(confirm.body, "10 years") {
		t.Fatalf("the confirmation step: %d\n%.2000s", confirm.StatusCode, confirm.body)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM subscribers"); n != 1 {
		t.Fatal("the confirmation step erased")
	}
	done := b.post("/my-data/view/erase", url.Values{"t": {token}, "confirm": {"yes"}})
	if done.StatusCode != http.StatusOK || !strings.Contains(done.body, "Erased") {
		t.Fatalf("erase: %d\n%.2000s", done.StatusCode, done.body)
	}
	want(t, b.post("/my-data/view/erase", url.Values{"t": {token}, "confirm": {"yes"}}), http.StatusConflict)
	want(t, b.get(view), http.StatusConflict)
	for q, n := range map[string]int{
		"SELECT COUNT(*) FROM subscribers":                                                0,
		"SELECT COUNT(*) FROM suppressions WHERE reason = 'erased'":                       1,
		"SELECT COUNT(*) FROM contact_conversations":                                      0,
		"SELECT COUNT(*) FROM contact_messages":                                           0,
		"SELECT COUNT(*) FROM shop_orders WHERE erasure_requested_at > 0":                 1,
		"SELECT COUNT(*) FROM shop_orders WHERE status = 'pending' AND email_sealed = ''": 1,
		"SELECT COUNT(*) FROM data_requests WHERE kind = 'erase' AND done_at > 0":         1,
	} {
		if got := in.count(t, q); got != n {
			t.Errorf("%s = %d; want %d", q, got, n)
		}
	}

	// Audit: a link mail per request, then access, export and erase, by ids and counts.
	for action, n := range map[string]int{"privacy.link": 2, "privacy.find": 2, "privacy.export": 1, "privacy.erase": 1} {
		if got := in.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = '"+action+"'"); got < n {
			t.Errorf("%d %s audit entries; want at least %d", got, action, n)
		}
	}
	if n := in.count(t, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'privacy.%' AND (subject LIKE '%@%' OR detail LIKE '%@%')"); n != 0 {
		t.Errorf("%d privacy audit entries hold an address", n)
	}
	s.stop()
	if in.dsn == "" {
		canary.AssertAbsent(t, "erased means gone from the file", []string{in.dir},
			append([]string{who, name, subject, text, reply, note}, sealed...)...)
	}
}
