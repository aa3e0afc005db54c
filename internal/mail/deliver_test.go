package mail_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/testkit/mailpit"
	"github.com/candor-dev/candor/internal/testkit/seed"
)

// These tests deliver through a real SMTP server, mailpit, on loopback.

func header(t *testing.T, h map[string][]string, name string) string {
	t.Helper()
	v := h[name]
	if len(v) != 1 {
		t.Fatalf("header %s = %q; want exactly one", name, v)
	}
	return v[0]
}

// Promise: a transactional message is sent over STARTTLS with AUTH, arrives once with
// From, To, Subject, Date, its ledger Message-ID and the reply headers, as
// multipart/alternative when it has HTML; the ledger says sent.
func TestTransactionalArrivesWithHeaders(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t, mailpit.Options{Auth: true})
	e := newEnv(t, newRelay(t, mp.URL("smtp", "candor", "s3cret"), mp.Cert, smtp.Options{}), mail.Options{})
	e.start()
	id, msgID := e.queue("Ann@Example.test", mail.Content{
		Subject: "Re: your question about Candor — ünïcode",
		Text:    "Hello Ann,\n\nthanks for writing.\n",
		HTML:    "<p>Hello Ann,</p><p>thanks for writing.</p>",
		Headers: map[string]string{"In-Reply-To": "<q1@example.test>", "References": "<q0@example.test> <q1@example.test>"},
	})
	got := mp.Wait(t, 1, time.Minute)
	e.waitRow(id, 5*time.Second, func(r row) bool { return r.Status == "sent" })
	if len(got) != 1 {
		t.Fatalf("received %d messages", len(got))
	}
	m := got[0]
	if m.Username != "candor" {
		t.Errorf("AUTH user %q; want candor", m.Username)
	}
	if len(m.To) != 1 || m.To[0].Address != "ann@example.test" || m.From == nil || m.From.Address != sender.Address || m.From.Name != sender.Name {
		t.Errorf("from %+v to %+v", m.From, m.To)
	}
	if m.Subject != "Re: your question about Candor — ünïcode" {
		t.Errorf("subject %q", m.Subject)
	}
	h := mp.Headers(t, m.ID)
	if got := header(t, h, "Message-Id"); got != msgID {
		t.Errorf("Message-ID %q; want the ledger's %q", got, msgID)
	}
	if header(t, h, "In-Reply-To") != "<q1@example.test>" || header(t, h, "References") != "<q0@example.test> <q1@example.test>" {
		t.Errorf("reply headers %q %q", h["In-Reply-To"], h["References"])
	}
	if d, err := time.Parse(time.RFC1123Z, header(t, h, "Date")); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %q: %v", h["Date"], err)
	}
	if ct := header(t, h, "Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("Content-Type %q; want multipart/alternative", ct)
	}
	if _, ok := h["List-Unsubscribe"]; ok {
		t.Error("a transactional message carries List-Unsubscribe")
	}
}

// Promise: campaign mail is rendered per recipient at send time, always
// multipart/alternative, with List-Unsubscribe and List-Unsubscribe-Post
// (RFC 8058); the campaign becomes sent with its aggregate counts; smtps:// works.
func TestCampaignArrivesWithOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t, mailpit.Options{ImplicitTLS: true})
	e := newEnv(t, newRelay(t, mp.URL("smtps", "", ""), mp.Cert, smtp.Options{Pool: 2}), mail.Options{})
	camp, err := seed.Campaign(context.Background(), e.db, e.sealer, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.start()
	got := mp.Wait(t, 3, time.Minute)
	e.waitCampaign(camp, "sent", 5*time.Second)
	var to []string
	for _, m := range got {
		to = append(to, m.To[0].Address)
		h := mp.Headers(t, m.ID)
		lu := header(t, h, "List-Unsubscribe")
		if !strings.HasPrefix(lu, "<https://candor.test/unsubscribe/") || header(t, h, "List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("unsubscribe headers %q %q", lu, h["List-Unsubscribe-Post"])
		}
		if ct := header(t, h, "Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
			t.Errorf("Content-Type %q", ct)
		}
	}
	slices.Sort(to)
	if want := []string{seed.Recipient(0), seed.Recipient(1), seed.Recipient(2)}; !slices.Equal(to, want) {
		t.Fatalf("recipients %v; want %v", to, want)
	}
	c, err := e.store.CampaignCounts(context.Background(), camp)
	if err != nil || c != (mail.Counts{Sent: 3}) {
		t.Fatalf("counts %+v, %v", c, err)
	}
}

// Promise: a 4xx reply is retried with backoff (attempts counted, next attempt later)
// and the message is sent once the relay accepts it.
func TestTemporaryFailureIsRetriedThenSent(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t, mailpit.Options{Chaos: true})
	mp.SetChaos(t, "Recipient", 451, 100)
	e := newEnv(t, newRelay(t, mp.URL("smtp", "", ""), mp.Cert, smtp.Options{}), mail.Options{RetryBase: 2 * time.Second, RetryMax: 10 * time.Second})
	e.start()
	before := time.Now()
	id, msgID := e.queue("bob@example.test", mail.Content{Subject: "Receipt", Text: "Thanks."})
	r := e.waitRow(id, 10*time.Second, func(r row) bool { return r.Attempts == 1 })
	if r.Status != "queued" || r.LastError != "rcpt 451 temporary" {
		t.Fatalf("after a 451: %+v; want queued, rcpt 451 temporary", r)
	}
	if wait := r.Next.Sub(before); wait < time.Second || wait > 3*time.Second+time.Second {
		t.Fatalf("next attempt %s after queueing; want RetryBase with jitter (1–2 s)", wait)
	}
	mp.SetChaos(t, "Recipient", 451, 0)
	got := mp.Wait(t, 1, time.Minute)
	r = e.waitRow(id, 5*time.Second, func(r row) bool { return r.Status == "sent" })
	if r.Attempts != 1 || got[0].MessageID != strings.Trim(msgID, "<>") {
		t.Fatalf("sent row %+v, message %+v", r, got[0])
	}
}

// Promise: a 5xx "mailbox unavailable" to RCPT fails the message for good and puts the
// address on the suppression list (reason hard_bounce); other mail still goes out.
func TestHardBounceFailsAndSuppresses(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t, mailpit.Options{AllowedRecipients: `^ok@`})
	e := newEnv(t, newRelay(t, mp.URL("smtp", "", ""), mp.Cert, smtp.Options{}), mail.Options{})
	e.start()
	bad, _ := e.queue("gone@example.test", mail.Content{Subject: "Receipt", Text: "Thanks."})
	good, _ := e.queue("ok@example.test", mail.Content{Subject: "Receipt", Text: "Thanks."})
	r := e.waitRow(bad, 10*time.Second, func(r row) bool { return r.Status != "queued" && r.Status != "sending" })
	if r.Status != "failed" || !r.Bounce || r.Attempts != 1 || r.LastError != "rcpt 550 5.1.0 hard_bounce" {
		t.Fatalf("bounced row %+v", r)
	}
	e.waitRow(good, 10*time.Second, func(r row) bool { return r.Status == "sent" })
	var reason string
	if err := e.db.QueryRow(context.Background(), "SELECT reason FROM suppressions WHERE email_index = ?",
		e.sealer.Index(mail.IndexEmail, "gone@example.test")).Scan(&reason); err != nil || reason != "hard_bounce" {
		t.Fatalf("suppression: %q, %v", reason, err)
	}
	if got := mp.Messages(t); len(got) != 1 || got[0].To[0].Address != "ok@example.test" {
		t.Fatalf("received %+v", got)
	}
}

// Promise: rows claimed by a worker that died (its lease expired) are reclaimed and
// sent once by the next worker. The worker's clock is the test's: the lease is live
// until the test moves the clock past it, however slow the machine.
func TestExpiredLeaseIsReclaimed(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t, mailpit.Options{})
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	e := newEnv(t, newRelay(t, mp.URL("smtp", "", ""), mp.Cert, smtp.Options{}), mail.Options{Lease: 2 * time.Second, Now: now})
	id, _ := e.queue("carol@example.test", mail.Content{Subject: "Hello", Text: "Hi."})
	t0 := time.Now()
	clock.Store(t0.UnixNano())
	// A worker claims the row and dies without a word.
	claimed, err := e.store.Claim(context.Background(), t0, 10, 1500*time.Millisecond, nil)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %d, %v", len(claimed), err)
	}
	e.start()
	// The worker's first heartbeat (then its reclaim and claims) ran at t0, under the lease.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := e.db.QueryRow(context.Background(), "SELECT COUNT(*) FROM mail_instances WHERE heartbeat_at = ?", t0.UnixMilli()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker never renewed its heartbeat")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a few polls at t0: none may send
	if got := mp.Messages(t); len(got) != 0 || e.row(id).Status != "sending" {
		t.Fatal("a row under a live lease was sent by another worker")
	}
	clock.Store(t0.Add(6 * time.Second).UnixNano()) // past the lease and the next heartbeat
	mp.Wait(t, 1, 30*time.Second)
	e.waitRow(id, 30*time.Second, func(r row) bool { return r.Status == "sent" })
	time.Sleep(300 * time.Millisecond)
	if got := mp.Messages(t); len(got) != 1 {
		t.Fatalf("received %d copies", len(got))
	}
}

// Promise: DKIM signatures (Ed25519 and RSA-2048) over From, Subject, Date,
// Message-ID, To and both List-Unsubscribe headers verify on the message as received.
func TestDKIMSignatureVerifies(t *testing.T) {
	t.Parallel()
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  crypto.Signer
	}{{"ed25519", edKey}, {"rsa2048", rsaKey}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mp := mailpit.Start(t, mailpit.Options{})
			d := &smtp.DKIM{Domain: "candor.test", Selector: "s2031", Key: tc.key}
			e := newEnv(t, newRelay(t, mp.URL("smtp", "", ""), mp.Cert, smtp.Options{DKIM: d}), mail.Options{})
			if _, err := seed.Campaign(context.Background(), e.db, e.sealer, 1, 0); err != nil {
				t.Fatal(err)
			}
			e.start()
			m := mp.Wait(t, 1, time.Minute)[0]
			raw := mp.Raw(t, m.ID)
			record, err := d.DNSRecord()
			if err != nil {
				t.Fatal(err)
			}
			lookups := 0
			vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: func(domain string) ([]string, error) {
				lookups++
				if domain != "s2031._domainkey.candor.test" {
					return nil, errors.New("unexpected lookup " + domain)
				}
				return []string{record}, nil
			}})
			if err != nil || len(vs) != 1 || lookups != 1 {
				t.Fatalf("verify: %d signatures, %d lookups, %v", len(vs), lookups, err)
			}
			v := vs[0]
			if v.Err != nil || v.Domain != "candor.test" {
				t.Fatalf("signature: domain %q, %v", v.Domain, v.Err)
			}
			for _, h := range []string{"from", "to", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post"} {
				if !slices.ContainsFunc(v.HeaderKeys, func(k string) bool { return strings.EqualFold(k, h) }) {
					t.Errorf("%s not signed (h=%v)", h, v.HeaderKeys)
				}
			}
			// Tampering breaks it.
			tampered := bytes.Replace(raw, []byte("Subject: Candor 2.0"), []byte("Subject: Candor 3.0"), 1)
			vs, _ = dkim.VerifyWithOptions(bytes.NewReader(tampered), &dkim.VerifyOptions{LookupTXT: func(string) ([]string, error) { return []string{record}, nil }})
			if len(vs) != 1 || vs[0].Err == nil {
				t.Fatal("a tampered subject still verifies")
			}
		})
	}
}
