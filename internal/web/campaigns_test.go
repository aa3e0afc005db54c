package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/staff"
)

const xssSubject = `<script>alert("subject")</script> & "quotes"`

// The whole life of a campaign through the pages, as marketing: compose, preview in a
// sandbox, test send, schedule, the recipient count before sending, progress as JSON,
// pause, resume, cancel. Subjects are escaped everywhere.
func TestCampaignPages(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email\nr1@example.com\nr2@example.com\nr3@example.com\n")
	c, _ := e.signedIn("marketing@staff.example", staff.Marketing)
	list := fmt.Sprint(e.newsListID())

	r := c.get("/admin/campaigns")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "No campaigns yet") {
		t.Error("empty campaign list")
	}
	want(t, c.get("/admin/campaigns/new"), http.StatusOK)
	// A bad form is shown again with its values and the error.
	r = c.post("/admin/campaigns", url.Values{"subject": {xssSubject}, "body": {"Hi"}, "rate": {"10"}})
	want(t, r, http.StatusBadRequest)
	if !strings.Contains(r.body, "Choose at least one list") || !strings.Contains(r.body, "&lt;script&gt;alert(&#34;subject&#34;)") {
		t.Errorf("bad form:\n%.2000s", r.body)
	}
	// The editor refuses a remote image and says why (issue 12, item 11).
	r = c.post("/admin/campaigns", url.Values{"subject": {"S"}, "body": {"![pixel](https://tracker.example/p.gif)"}, "lists": {list}, "rate": {"10"}})
	want(t, r, http.StatusBadRequest)
	if !strings.Contains(r.body, "Campaigns cannot show images") {
		t.Errorf("an image in a campaign is not refused with its reason:\n%.2000s", r.body)
	}
	body := "# Issue 1\n\nHello **there**.\n\n<script>alert('body')</script>"
	r = c.post("/admin/campaigns", url.Values{"subject": {xssSubject}, "body": {body}, "lists": {list}, "rate": {"10"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%.2000s", r.StatusCode, r.body)
	}
	loc := r.Header.Get("Location")
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/admin/campaigns/"), "?done=campaign-saved")
	page := "/admin/campaigns/" + id

	for _, p := range []string{"/admin/campaigns", page, page + "/edit", page + "/preview", page + "/send"} {
		r = c.get(p)
		want(t, r, http.StatusOK)
		if strings.Contains(r.body, `<script>alert("subject")`) || strings.Contains(r.body, "<script>alert('body')") {
			t.Errorf("%s: an unescaped script", p)
		}
	}

	// Preview: a sandboxed frame whose document has its own strict policy.
	r = c.get(page + "/preview")
	if !strings.Contains(r.body, `<iframe class="preview-frame" src="`+page+`/preview.html" sandbox`) || !strings.Contains(r.body, "Hello **there**.") {
		t.Errorf("preview page:\n%.3000s", r.body)
	}
	r = c.get(page + "/preview.html")
	want(t, r, http.StatusOK)
	if csp := r.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'") {
		t.Errorf("preview CSP %q", csp)
	}
	if r.Header.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.Contains(r.body, "<strong>there</strong>") ||
		strings.Contains(r.body, "<script>") || !strings.Contains(r.body, "&lt;script&gt;alert(&#34;subject&#34;)") {
		t.Errorf("preview document %v:\n%s", r.Header, r.body)
	}
	// Every other page keeps the admin's policy.
	if csp := c.get(page).Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy {
		t.Errorf("campaign page CSP %q", csp)
	}

	// Test send: queued as transactional mail; the audit log does not name the address.
	e.canary("me-test@example.com")
	wantRedirect(t, c.post(page+"/test", url.Values{"to": {"Me-Test@example.com"}}), page+"?done=campaign-test")
	if n := countRows(e, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'campaign.test' AND campaign_id IS NULL"); n != 1 {
		t.Error("no test message in the outbox")
	}
	r = c.post(page+"/test", url.Values{"to": {"nobody"}})
	want(t, r, http.StatusBadRequest)
	if !strings.Contains(r.body, `value="nobody"`) {
		t.Error("the test address typed is not kept after an error")
	}

	// Schedule: in the past refused; in the future shown in UTC.
	want(t, c.post(page+"/schedule", url.Values{"at": {"2001-01-01T10:00"}}), http.StatusBadRequest)
	at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
	wantRedirect(t, c.post(page+"/schedule", url.Values{"at": {at.Format("2006-01-02T15:04")}}), page+"?done=campaign-scheduled")
	r = c.get(page)
	if !strings.Contains(r.body, "Scheduled for "+at.Format("2006-01-02 15:04 UTC")) {
		t.Errorf("scheduled page:\n%.3000s", r.body)
	}

	// Send now: the confirmation shows the recipient count; the post needs it confirmed.
	r = c.get(page + "/send")
	if !strings.Contains(r.body, "<strong>3</strong> recipients") || !strings.Contains(r.body, "Send to 3 recipients") {
		t.Errorf("send confirmation:\n%.3000s", r.body)
	}
	want(t, c.post(page+"/send", url.Values{}), http.StatusBadRequest)
	wantRedirect(t, c.post(page+"/send", url.Values{"confirm": {"yes"}}), page+"?done=campaign-started")
	want(t, c.post(page+"/send", url.Values{"confirm": {"yes"}}), http.StatusConflict)
	want(t, c.post(page, url.Values{"subject": {"Changed"}, "body": {"x"}, "lists": {list}}), http.StatusConflict)

	// Live progress: the page polls the JSON endpoint with a same-origin script.
	r = c.get(page)
	if !strings.Contains(r.body, `data-progress-url="/api/v1/campaigns/`+id+`/progress"`) || !strings.Contains(r.body, `<script src="/static/campaign.`) ||
		!strings.Contains(r.body, `<progress class="meter big" max="3" value="0"`) || !strings.Contains(r.body, ">Refresh</a>") {
		t.Errorf("sending page:\n%.4000s", r.body)
	}
	if _, err := e.db.Exec(e.ctx, "UPDATE mail_outbox SET status = 'sent', sent_at = 1 WHERE id = (SELECT MIN(id) FROM mail_outbox WHERE campaign_id = ?)", id); err != nil {
		t.Fatal(err)
	}
	// The counts the mail worker keeps with the ledger (here moved by hand, as the row).
	if _, err := e.db.Exec(e.ctx, "UPDATE campaigns SET queued_count = queued_count - 1, sent_count = sent_count + 1 WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	c.hdr.Set("Accept", "application/json")
	p := c.get("/api/v1/campaigns/" + id + "/progress").json(t)
	c.hdr.Del("Accept")
	if p["status"] != "sending" || p["recipients"] != 3.0 || p["sent"] != 1.0 || p["done"] != 1.0 || p["percent"] != 33.0 || p["queued"] != 2.0 {
		t.Errorf("progress %v", p)
	}
	for k := range p {
		if strings.Contains(fmt.Sprint(p[k]), "@") {
			t.Errorf("progress carries an address: %v", p)
		}
	}

	// Pause, resume, cancel.
	wantRedirect(t, c.post(page+"/pause", nil), page+"?done=campaign-paused")
	want(t, c.post(page+"/pause", nil), http.StatusConflict)
	r = c.get(page)
	if !strings.Contains(r.body, `action="`+page+`/resume"`) || strings.Contains(r.body, `action="`+page+`/pause"`) {
		t.Error("a paused campaign does not offer Resume")
	}
	wantRedirect(t, c.post(page+"/resume", nil), page+"?done=campaign-resumed")
	wantRedirect(t, c.post(page+"/cancel", nil), page+"?done=campaign-cancelled")
	if n := countRows(e, "SELECT COUNT(*) FROM mail_outbox WHERE campaign_id = ? AND status = 'cancelled'", id); n != 2 {
		t.Errorf("%d messages cancelled; want 2", n)
	}
	r = c.get("/admin/campaigns")
	if !strings.Contains(r.body, "Cancelled") || !strings.Contains(r.body, `aria-label="100% done"`) {
		t.Errorf("list after cancel:\n%.3000s", r.body)
	}
	log := e.auditLog()
	for _, w := range []string{"campaign.create", "campaign.test", "campaign.schedule", "campaign.start", "campaign.paused", "campaign.sending", "campaign.cancelled"} {
		if !strings.Contains(log, w) {
			t.Errorf("audit lacks %s", w)
		}
	}
	if strings.Contains(strings.ToLower(log), "me-test@") {
		t.Errorf("the audit log names the test address:\n%s", log)
	}
}

// Promise: marketing runs campaigns; support (who handles subscribers) cannot.
func TestCampaignAccess(t *testing.T) {
	e := newEnv(t)
	e.scenarios(t, []scenario{
		{Name: "campaign list", Role: staff.Support, URL: "/admin/campaigns", Status: http.StatusForbidden},
		{Name: "new campaign", Role: staff.Support, URL: "/admin/campaigns/new", Status: http.StatusForbidden},
		{Name: "create", Role: staff.Support, URL: "/admin/campaigns", Form: url.Values{"subject": {"x"}, "body": {"y"}, "lists": {"1"}},
			Status: http.StatusForbidden},
		{Name: "support's navigation", Role: staff.Support, URL: "/admin/", Status: http.StatusOK,
			Contains: []string{`href="/admin/subscribers"`}, NotContains: []string{`href="/admin/campaigns"`}},
	})
	if n := countRows(e, "SELECT COUNT(*) FROM campaigns"); n != 0 {
		t.Error("support created a campaign")
	}
}

// Nothing to send: the confirmation says so and offers no send button.
func TestCampaignWithoutRecipients(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn("owner@staff.example", staff.Owner)
	r := c.post("/admin/campaigns", url.Values{"subject": {"Empty"}, "body": {"x"}, "lists": {fmt.Sprint(e.newsListID())}})
	page := strings.TrimSuffix(r.Header.Get("Location"), "?done=campaign-saved")
	r = c.get(page + "/send")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "there is nobody to send") || strings.Contains(r.body, `action="`+page+`/send"`) {
		t.Errorf("send page without recipients:\n%.2000s", r.body)
	}
	if r := c.get(page); !strings.Contains(r.body, "No mail relay is configured") {
		t.Error("no notice that nothing is sent without a relay")
	}
}
