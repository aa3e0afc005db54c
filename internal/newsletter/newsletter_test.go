package newsletter_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

type env struct {
	db     *sqldb.DB
	sealer *pii.Sealer
	svc    *newsletter.Service
	camps  *newsletter.Campaigns
}

func setup(t *testing.T) env {
	t.Helper()
	db := dbtest.Open(t)
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	sealer := pii.NewSealer(kr)
	store := sqldb.NewsletterStore{DB: db}
	svc := newsletter.NewService(store, sealer, audit.New(sqldb.AuditStore{DB: db}, sealer.Index), nil, newsletter.Options{
		PublicURL: "https://candor.example", MailDomain: "example.com", VendorName: "Northwind", PostalAddress: "1 Main St",
	})
	return env{db: db, sealer: sealer, svc: svc, camps: svc.Campaigns(store)}
}

// queuedMail opens the newest transactional mail in the outbox.
func (e env) queuedMail(t *testing.T) (string, mail.Content) {
	t.Helper()
	var q mail.Queued
	err := e.db.QueryRow(context.Background(), "SELECT to_sealed, content_sealed FROM mail_outbox WHERE campaign_id IS NULL ORDER BY id DESC LIMIT 1").
		Scan(&q.ToSealed, &q.ContentSealed)
	if err != nil {
		t.Fatal(err)
	}
	to, c, err := mail.Open(e.sealer, q)
	if err != nil {
		t.Fatal(err)
	}
	return to.Reveal(), c
}

func linkToken(t *testing.T, body, prefix string) string {
	t.Helper()
	i := strings.Index(body, prefix)
	if i < 0 {
		t.Fatalf("no %s link in:\n%s", prefix, body)
	}
	rest := body[i+len(prefix):]
	return strings.Fields(rest)[0]
}

func count(t *testing.T, db *sqldb.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Promise: contact details are used only to administer the subscription — double opt-in,
// one-click unsubscribe, and an unsubscribed address kept only as a keyed hash.
func TestSubscribeConfirmUnsubscribe(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	in := newsletter.SubscribeInput{Email: "Ana@Example.com", Name: "Ana", ConsentVersion: "2026-11", Source: "footer"}
	if err := e.svc.Subscribe(ctx, in); err != nil {
		t.Fatal(err)
	}
	to, c := e.queuedMail(t)
	if to != "ana@example.com" || strings.Contains(c.Text, "Ana\n") {
		t.Fatalf("confirmation to %q, text %q", to, c.Text)
	}
	if !strings.HasSuffix(c.Text, "\n-- \nPrivacy: https://candor.example/privacy\n") { // issue 10 §2: every mail footer
		t.Errorf("the confirmation mail does not end with the privacy notice's line: %q", c.Text)
	}
	tok := linkToken(t, c.Text, "https://candor.example/subscribe/confirm/")
	if err := e.svc.CheckConfirm(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'"); n != 0 {
		t.Fatal("the GET check confirmed the subscription")
	}
	if err := e.svc.Confirm(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'"); n != 1 {
		t.Fatal("not confirmed")
	}
	// A second sign-up within the interval sends nothing and answers the same.
	before := count(t, e.db, "SELECT COUNT(*) FROM mail_outbox")
	if err := e.svc.Subscribe(ctx, in); err != nil {
		t.Fatal(err)
	}
	if after := count(t, e.db, "SELECT COUNT(*) FROM mail_outbox"); after != before {
		t.Fatal("a second confirmation mail within the interval")
	}
	// Campaign to the default list: one recipient; its mail has RFC 8058 headers.
	lists, _ := sqldb.NewsletterStore{DB: e.db}.Lists(ctx)
	id, err := e.camps.Create(ctx, staff.CLI, newsletter.Campaign{Subject: "Hello", BodyMarkdown: "# News\n\nHi **there**", Lists: []int64{lists[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.camps.SendNow(ctx, staff.CLI, id)
	if err != nil || n != 1 {
		t.Fatalf("SendNow: %d recipients, %v", n, err)
	}
	var subID int64
	if err := e.db.QueryRow(ctx, "SELECT subscriber_id FROM mail_outbox WHERE campaign_id = ?", id).Scan(&subID); err != nil {
		t.Fatal(err)
	}
	rcpt, content, err := e.camps.RenderMessage(ctx, id, subID)
	if err != nil {
		t.Fatal(err)
	}
	if rcpt.Reveal() != "ana@example.com" || content.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" ||
		!strings.Contains(content.HTML, "<strong>there</strong>") || !strings.Contains(content.HTML, "1 Main St") {
		t.Fatalf("campaign message: %+v", content)
	}
	unsub := strings.Trim(content.Headers["List-Unsubscribe"], "<>")
	utok := strings.TrimPrefix(unsub, "https://candor.example/unsubscribe/")
	if err := e.svc.Unsubscribe(ctx, utok); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Unsubscribe(ctx, utok); err != nil {
		t.Fatalf("a second unsubscribe: %v", err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Fatal("the unsubscribed subscriber is still stored")
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM suppressions WHERE reason = 'unsubscribed'"); n != 1 {
		t.Fatal("no suppression")
	}
	if n := count(t, e.db, "SELECT unsubscribed FROM campaigns WHERE id = ?", id); n != 1 {
		t.Fatal("the campaign did not count the unsubscribe")
	}
}

func TestLinksAreOpaqueAndChecked(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "bo@example.com"}); err != nil {
		t.Fatal(err)
	}
	_, c := e.queuedMail(t)
	tok := linkToken(t, c.Text, "/subscribe/confirm/")
	for _, bad := range []string{"", "1", tok[:len(tok)-2], tok + "x", strings.Repeat("a", 5000)} {
		if err := e.svc.Confirm(ctx, bad); !errs.Is(err, errs.NotFound) {
			t.Errorf("Confirm(%.20q…) = %v, want not_found", bad, err)
		}
	}
	// A confirm token is not an unsubscribe token.
	if err := e.svc.Unsubscribe(ctx, tok); !errs.Is(err, errs.NotFound) {
		t.Errorf("confirm token accepted for unsubscribe: %v", err)
	}
}

func TestInputValidation(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	for _, in := range []newsletter.SubscribeInput{
		{Email: "not-an-email"},
		{Email: "a@example.com", Name: "Visit http://spam.example"},
		{Email: "a@example.com", Name: "Ana\r\nBcc: victim@example.com"},
		{Email: "a@example.com", Name: "Ana\u202egnp.exe"},
		{Email: "a@example.com", Name: strings.Repeat("x", 101)},
		{Email: "a@example.com", Lists: []string{"nope"}},
	} {
		if err := e.svc.Subscribe(ctx, in); !errs.Is(err, errs.Invalid) {
			t.Errorf("Subscribe(%+v) = %v, want invalid", in, err)
		}
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Fatal("invalid input was stored")
	}
}

func TestPendingPurge(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "cy@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.PurgePending(ctx); err != nil || n != 0 {
		t.Fatalf("fresh sign-up purged: %d %v", n, err)
	}
	old := time.Now().Add(-8 * 24 * time.Hour).UnixMilli()
	if _, err := e.db.Exec(ctx, "UPDATE subscribers SET confirmation_sent_at = ?", old); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.PurgePending(ctx); err != nil || n != 1 {
		t.Fatalf("PurgePending = %d, %v; want 1", n, err)
	}
}

// Promise: contact data is used for identification only — a stranger who knows a
// confirmed subscriber's address cannot rewrite the name stored with it by posting the
// public form (a sign-up changes nothing before its confirmation).
func TestSignupCannotRenameConfirmedSubscriber(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "ana@example.com", Name: "Ana"}); err != nil {
		t.Fatal(err)
	}
	_, c := e.queuedMail(t)
	if err := e.svc.Confirm(ctx, linkToken(t, c.Text, "https://candor.example/subscribe/confirm/")); err != nil {
		t.Fatal(err)
	}
	// Past the confirmation-mail interval, a stranger posts the form with the address.
	if _, err := e.db.Exec(ctx, "UPDATE subscribers SET confirmation_sent_at = 0"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "ana@example.com", Name: "Mallory"}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.db.QueryRow(ctx, "SELECT id FROM subscribers").Scan(&id); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.GetSubscriber(ctx, staff.CLI, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Ana" || d.Status != newsletter.Confirmed {
		t.Fatalf("after a stranger's sign-up: name %q, status %s", d.Name, d.Status)
	}
}

// Promise: contact details are used only to identify — each confirmation link confirms
// the details submitted with it. Ana signs up; past the confirmation-mail interval
// somebody else posts the form with her address and another name and consent record.
// Ana's link confirms Ana's sign-up, not the later one (which, until its own link is
// followed, is only a second mail to Ana's mailbox); the later link confirms the later
// sign-up; and once confirmed, no further link changes the name or consent.
func TestConfirmationLinkConfirmsItsOwnSignup(t *testing.T) {
	ctx := context.Background()
	type signup struct {
		link, name   string
		source, hash string // the consent record as Join stored it
	}
	run := func(t *testing.T) (env, int64, []signup) {
		e := setup(t)
		var out []signup
		for i, in := range []newsletter.SubscribeInput{
			{Email: "ana@example.com", Name: "Ana", ConsentVersion: "2026-11", Source: "footer"},
			{Email: "ana@example.com", Name: "Mallory", ConsentVersion: "2020-01", Source: "elsewhere"},
		} {
			if i > 0 { // past the confirmation-mail interval
				if _, err := e.db.Exec(ctx, "UPDATE subscribers SET confirmation_sent_at = 0"); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.svc.Subscribe(ctx, in); err != nil {
				t.Fatal(err)
			}
			_, c := e.queuedMail(t)
			if strings.Contains(c.Text, in.Name) {
				t.Fatalf("the confirmation mail echoes the name %q", in.Name)
			}
			su := signup{link: linkToken(t, c.Text, "https://candor.example/subscribe/confirm/"), name: in.Name}
			if err := e.db.QueryRow(ctx, "SELECT consent_source, consent_text_hash FROM subscribers").Scan(&su.source, &su.hash); err != nil {
				t.Fatal(err)
			}
			out = append(out, su)
		}
		if out[0].link == out[1].link || out[0].source == out[1].source || out[0].hash == out[1].hash {
			t.Fatalf("the two sign-ups are not told apart: %+v", out)
		}
		var id int64
		if err := e.db.QueryRow(ctx, "SELECT id FROM subscribers").Scan(&id); err != nil {
			t.Fatal(err)
		}
		return e, id, out
	}
	check := func(t *testing.T, e env, id int64, want signup) {
		t.Helper()
		d, err := e.svc.GetSubscriber(ctx, staff.CLI, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != newsletter.Confirmed || d.Name != want.name || d.ConsentSource != want.source || d.ConsentTextHash != want.hash {
			t.Fatalf("confirmed as name %q, consent %q/%q, status %s; want the sign-up of %q (%q/%q)",
				d.Name, d.ConsentSource, d.ConsentTextHash, d.Status, want.name, want.source, want.hash)
		}
	}
	t.Run("first link", func(t *testing.T) {
		e, id, s := run(t)
		if err := e.svc.Confirm(ctx, s[0].link); err != nil {
			t.Fatal(err)
		}
		check(t, e, id, s[0])
		// Confirmed: the other link no longer changes who is stored.
		if err := e.svc.Confirm(ctx, s[1].link); err != nil {
			t.Fatal(err)
		}
		check(t, e, id, s[0])
	})
	t.Run("second link", func(t *testing.T) {
		e, id, s := run(t)
		if err := e.svc.Confirm(ctx, s[1].link); err != nil {
			t.Fatal(err)
		}
		check(t, e, id, s[1])
		if err := e.svc.Confirm(ctx, s[0].link); err != nil {
			t.Fatal(err)
		}
		check(t, e, id, s[1])
	})
}

// The longest sign-up the form accepts still gets a working link: the token carries the
// name and consent source, and "&" takes six bytes in its JSON.
func TestLongestSignupLinkWorks(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	name := strings.Repeat("&", newsletter.MaxNameRunes)
	in := newsletter.SubscribeInput{Email: "long@example.com", Name: name,
		ConsentVersion: strings.Repeat("v", newsletter.MaxConsentBytes), Source: strings.Repeat("&", newsletter.MaxSourceBytes)}
	if err := e.svc.Subscribe(ctx, in); err != nil {
		t.Fatal(err)
	}
	_, c := e.queuedMail(t)
	tok := linkToken(t, c.Text, "https://candor.example/subscribe/confirm/")
	t.Logf("the longest sign-up's token has %d bytes", len(tok))
	if err := e.svc.Confirm(ctx, tok); err != nil {
		t.Fatalf("a %d-byte link: %v", len(tok), err)
	}
	var id int64
	if err := e.db.QueryRow(ctx, "SELECT id FROM subscribers").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if d, err := e.svc.GetSubscriber(ctx, staff.CLI, id); err != nil || d.Name != name || d.Status != newsletter.Confirmed {
		t.Fatalf("%+v, %v", d, err)
	}
}

// A confirmation link mailed before links carried their sign-up's details confirms what
// is stored, as it always did.
func TestOldConfirmationLinkConfirmsStoredSignup(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "ana@example.com", Name: "Ana", Source: "footer"}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.db.QueryRow(ctx, "SELECT id FROM subscribers").Scan(&id); err != nil {
		t.Fatal(err)
	}
	lists, _ := sqldb.NewsletterStore{DB: e.db}.Lists(ctx)
	now := time.Now()
	old, err := e.sealer.SealString("newsletter.token", fmt.Sprintf(`{"p":"confirm","s":%d,"l":[%d],"i":%d,"e":%d}`,
		id, lists[0].ID, now.UnixMilli(), now.Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Confirm(ctx, old); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.GetSubscriber(ctx, staff.CLI, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Ana" || d.ConsentSource != "form:footer" || d.Status != newsletter.Confirmed || len(d.Lists) != 1 {
		t.Fatalf("an old link confirmed %+v", d.Subscriber)
	}
}

// An address staff suppressed (or that hard-bounced) gets no confirmation mail from the
// public form, and the form answers as usual; one the person unsubscribed themselves may
// subscribe again with double opt-in.
func TestSuppressedAddressGetsNoConfirmation(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	for _, reason := range []string{"manual", "hard_bounce"} {
		addr := reason + "@example.com"
		if _, err := e.db.Exec(ctx, "INSERT INTO suppressions (email_index, reason, created_at) VALUES (?, ?, 0)",
			e.svc.EmailIndex(addr), reason); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: addr}); err != nil {
			t.Fatalf("%s: the answer must not differ: %v", reason, err)
		}
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Fatalf("%d subscribers from suppressed addresses", n)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM mail_outbox"); n != 0 {
		t.Fatalf("%d confirmation mails to suppressed addresses", n)
	}
	if _, err := e.db.Exec(ctx, "INSERT INTO suppressions (email_index, reason, created_at) VALUES (?, 'unsubscribed', 0)",
		e.svc.EmailIndex("came-back@example.com")); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "came-back@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM mail_outbox"); n != 1 {
		t.Fatalf("%d mails; want the confirmation to the returning subscriber", n)
	}
}

// A pending subscriber shows what its latest sign-up gave, as that sign-up's link would
// confirm: a later sign-up from a form without a name field leaves no name.
func TestPendingShowsItsLatestSignup(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "ana@example.com", Name: "Ana"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(ctx, "UPDATE subscribers SET confirmation_sent_at = 0"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "ana@example.com"}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.db.QueryRow(ctx, "SELECT id FROM subscribers").Scan(&id); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.GetSubscriber(ctx, staff.CLI, id)
	if err != nil || d.Name != "" || d.Status == newsletter.Confirmed {
		t.Fatalf("pending after a sign-up without a name: name %q, status %s, %v; want no name", d.Name, d.Status, err)
	}
}
