package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/testkit/mailpit"
)

// Promise (purpose limitation, issue 10 §6): an address Candor knows only from the
// contact inbox is used "for administrative and identification purposes only". The
// path from the issue, replayed through the real server and SMTP: an owner exports an
// inbox conversation as CSV, imports that file as subscribers with a consent source of
// their choosing, and sends a campaign. The preview refuses the row and says why, and
// the campaign never mails the contact address (while it does mail a subscriber
// imported beside it).
func TestAnInboxAddressNeverReceivesACampaignThroughImport(t *testing.T) {
	mp := mailpit.Start(t, mailpit.Options{})
	in := newInstall(t)
	const writer, fan, ownerPW = "writer@example.com", "fan@example.com", "owner-password-123"
	if out, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	in.addOwner(t, ownerPW)
	s := in.serveWithRelay(mp, "--antibot-difficulty", "4", "--mail-from", "Northwind <news@example.com>", "--postal-address", "1 Main Street, Springfield")
	defer s.stop()
	b := s.browser()
	wantRedirect(t, b.post("/contact", b.solvedContactForm("Wendy Writer", writer, "A question", "Does it run on ARM?")), "/contact/thanks")

	owner := s.browser()
	wantRedirect(t, owner.post("/admin/login", url.Values{"email": {"owner@example.com"}, "password": {ownerPW}}), "/admin/")
	conv := in.count(t, "SELECT MAX(id) FROM contact_conversations")
	export := owner.get("/admin/inbox/" + itoa(int64(conv)) + "/export.csv")
	want(t, export, http.StatusOK)
	if !strings.Contains(export.body, writer) {
		t.Fatalf("the inbox export does not hold the address:\n%s", export.body)
	}
	newsList := itoa(int64(in.count(t, "SELECT id FROM newsletter_lists WHERE slug = 'news'")))
	importFile := func(name, file string) string {
		t.Helper()
		preview := owner.upload("/admin/subscribers/import", "file", name, file)
		want(t, preview, http.StatusOK)
		id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(preview.body)
		if id == nil {
			t.Fatalf("no preview id in:\n%.2000s", preview.body)
		}
		done := owner.post("/admin/subscribers/import/commit", url.Values{"id": {id[1]}, "consent": {"They wrote to us, so they agreed"},
			"lists": {newsList}})
		if done.StatusCode >= 400 {
			t.Fatalf("import commit: %d\n%.2000s", done.StatusCode, done.body)
		}
		return preview.body
	}
	if body := importFile("inbox.csv", export.body); !strings.Contains(body, "known only from the contact inbox") {
		t.Errorf("the import preview does not say why the inbox address is refused:\n%.3000s", body)
	}
	importFile("fans.csv", "email\n"+fan+"\n")
	if n := in.count(t, "SELECT COUNT(*) FROM subscribers"); n != 1 {
		t.Fatalf("%d subscribers after both imports; want only the fan", n)
	}

	r := owner.post("/admin/campaigns", url.Values{"subject": {"Release 4.2"}, "body": {"News."}, "lists": {newsList}})
	want(t, r, http.StatusSeeOther)
	loc, _ := url.Parse(r.Header.Get("Location"))
	campaign := strings.TrimPrefix(loc.Path, "/admin/campaigns/")
	want(t, owner.post("/admin/campaigns/"+campaign+"/send", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	if n := in.count(t, "SELECT COUNT(*) FROM mail_outbox WHERE campaign_id = "+campaign); n != 1 {
		t.Errorf("the campaign has %d recipients; want 1 (the fan)", n)
	}
	// The staff notification of the contact message, then the campaign to the fan.
	for _, m := range mp.Wait(t, 2, 30*time.Second) {
		for _, to := range m.To {
			if to.Address == writer {
				t.Errorf("the contact address was mailed: %q", m.Subject)
			}
		}
	}
}
