package e2e

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/imapd"
)

// solvedContactForm is the contact form as antibot.js would send it.
func (b *browser) solvedContactForm(name, email, subject, message string) url.Values {
	b.t.Helper()
	v := b.solved("contact")
	for k, x := range map[string]string{"name": name, "email": email, "subject": subject, "message": message} {
		v.Set(k, x)
	}
	return v
}

// Promise: what people write through the contact form stays sealed at rest: after a
// contact flow (a message in, a staff member reading it) the test name, address and
// text appear nowhere in the data directory (database, WAL, keys) or the logs.
func TestContactCanary(t *testing.T) {
	in := newInstall(t)
	const name, email, subject, text, ownerPW = "Quentin Canary", "quentin.canary@example.com", "Canary subject line",
		"Canary message body about licence 7731", "owner-password-123"
	in.canary(name, email, subject, text, ownerPW, "owner@example.com")
	if out, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	in.addOwner(t, ownerPW)
	s := in.serve("--antibot-difficulty", "4")
	b := s.browser()
	wantRedirect(t, b.post("/contact", b.solvedContactForm(name, email, subject, text)), "/contact/thanks")
	if n := in.count(t, "SELECT COUNT(*) FROM contact_conversations WHERE folder = 'new'"); n != 1 {
		t.Fatalf("%d conversations in new", n)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'contact.notify'"); n != 1 {
		t.Fatalf("%d staff notifications; want 1 (the owner)", n)
	}
	if n := in.count(t, "SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Fatal("a contact address became a subscriber")
	}
	staff := s.browser()
	wantRedirect(t, staff.post("/admin/login", url.Values{"email": {"owner@example.com"}, "password": {ownerPW}}), "/admin/")
	id := in.count(t, "SELECT MAX(id) FROM contact_conversations")
	if r := staff.get("/admin/inbox/" + itoa(int64(id))); r.StatusCode == http.StatusOK && !strings.Contains(r.body, text) {
		t.Errorf("the conversation view does not show the message")
	}
	want(t, staff.post("/admin/inbox/"+itoa(int64(id))+"/reply", url.Values{"reply": {"We will look into it."}}), http.StatusSeeOther)
	s.stop()

	// The person answers the reply by mail; Candor reads the answer from the support
	// mailbox (an IMAP server on loopback, see testkit/imapd) into the conversation.
	const answerText = "Canary answer body 9917"
	in.canary(answerText)
	mailbox := imapd.Start(t)
	db := in.openDB(t)
	var replyID string
	if err := db.QueryRowContext(t.Context(), "SELECT message_id FROM contact_messages WHERE kind = 'out'").Scan(&replyID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	mailbox.Deliver([]byte("From: " + name + " <" + email + ">\r\nTo: " + imapd.User + "\r\nSubject: Re: " + subject +
		"\r\nMessage-ID: <canary-answer@example.com>\r\nIn-Reply-To: " + replyID + "\r\n\r\n" + answerText +
		"\r\n\r\nOn Monday, Support wrote:\r\n> We will look into it.\r\n"))
	ca := filepath.Join(t.TempDir(), "imap-ca.pem")
	if err := os.WriteFile(ca, mailbox.Cert.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	imapArgs := []string{"--contact-imap", mailbox.URL().String(), "--contact-imap-ca-file", ca, "--egress-allow-private"}
	out, err := in.candor("", nil, append(append([]string{"contact", "read-answers"}, imapArgs...), in.args()...)...)
	if err != nil || !strings.Contains(out, "1 mails read, 1 answering a conversation: 1 added") || strings.Contains(out, imapd.Password) {
		t.Fatalf("candor contact read-answers: %v\n%s", err, out)
	}
	// A second answer arrives; serve reads the mailbox at start and then on its interval.
	const secondText = "Canary second answer 4471"
	in.canary(secondText)
	mailbox.Deliver([]byte("From: " + email + "\r\nSubject: Re: " + subject + "\r\nMessage-ID: <canary-answer-2@example.com>\r\n" +
		"In-Reply-To: <canary-answer@example.com>\r\nReferences: " + replyID + " <canary-answer@example.com>\r\n\r\n" + secondText + "\r\n"))
	s = in.serve(append([]string{"--antibot-difficulty", "4"}, imapArgs...)...)
	in.waitCount(t, "SELECT COUNT(*) FROM contact_messages WHERE kind = 'in'", 3)
	if n := in.count(t, "SELECT COUNT(*) FROM contact_conversations WHERE folder = 'open'"); n != 1 {
		t.Fatalf("after the answer: %d open conversations; want the answered one", n)
	}
	staff = s.browser()
	wantRedirect(t, staff.post("/admin/login", url.Values{"email": {"owner@example.com"}, "password": {ownerPW}}), "/admin/")
	if r := staff.get("/admin/inbox/" + itoa(int64(id))); !strings.Contains(r.body, answerText) || !strings.Contains(r.body, secondText) || !strings.Contains(r.body, "answered by email") || strings.Contains(r.body, "&gt; We will look") {
		t.Errorf("the conversation does not show both answers, or shows the quoted reply in one")
	}
	s.stop()
	canary.AssertAbsent(t, "contact data is sealed at rest", []string{in.dir}, name, email, subject, text, answerText, secondText,
		"canary-answer@example.com", "canary-answer-2@example.com") // the answers' Message-IDs: kept only as keyed hashes
	for _, hit := range canary.FindIn("logs", []byte(in.logs.String()), name, email, subject, text, answerText, secondText, imapd.Password) {
		t.Errorf("logs contain %q (%s)", hit.Canary, hit.Encoding)
	}
}
