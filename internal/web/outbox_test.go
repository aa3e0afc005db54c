package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/staff"
)

// Promise: without a relay nothing is sent and staff can read the local outbox, marked
// as not sent. Lists never show recipients; opening a message does, and is logged.
// Only owners and admins may look.
func TestOutboxPages(t *testing.T) {
	e := newEnv(t)
	if e.cfg.SMTP != nil {
		t.Fatal("the test env has a relay")
	}
	e.canary("outbox-reader@example.com")
	camp, err := e.srv.campaignPages.campaigns.Create(e.ctx, staff.CLI, newsletter.Campaign{Subject: `Hi <b>"there"</b>`, BodyMarkdown: "Body text", Lists: []int64{e.newsListID()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.campaignPages.campaigns.TestSend(e.ctx, staff.CLI, camp, "outbox-reader@example.com"); err != nil {
		t.Fatal(err)
	}
	msg := countRows(e, "SELECT MAX(id) FROM mail_outbox")

	var rows []scenario
	for _, role := range []staff.Role{staff.Marketing, staff.Support, staff.Analyst} {
		rows = append(rows,
			scenario{Name: "outbox", Role: role, URL: "/admin/outbox", Status: http.StatusForbidden},
			scenario{Name: "message", Role: role, URL: fmt.Sprintf("/admin/outbox/%d", msg), Status: http.StatusForbidden},
			scenario{Name: "requeue", Role: role, URL: fmt.Sprintf("/admin/outbox/%d/requeue", msg), Form: url.Values{}, Status: http.StatusForbidden})
	}
	e.scenarios(t, rows)

	c, _ := e.signedIn("admin@staff.example", staff.Admin)
	r := c.get("/admin/outbox")
	want(t, r, http.StatusOK)
	for _, s := range []string{"No mail relay is configured: nothing is sent; messages wait here", "campaign.test", "Not sent: no relay", `Queued <span class="count">1</span>`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the outbox lacks %q", s)
		}
	}
	if strings.Contains(r.body, "outbox-reader@") || strings.Contains(r.body, "Your view of this page is logged") {
		t.Error("the outbox list shows a recipient")
	}
	if r := c.get("/admin/outbox?status=dead"); !strings.Contains(r.body, "No message matches") {
		t.Error("status filter not applied")
	}
	if r := c.get("/admin/outbox?kind=campaign"); !strings.Contains(r.body, "No message matches") {
		t.Error("kind filter not applied")
	}

	r = c.get(fmt.Sprintf("/admin/outbox/%d", msg))
	want(t, r, http.StatusOK)
	for _, s := range []string{"outbox-reader@example.com", "[Test] Hi &lt;b&gt;&#34;there&#34;&lt;/b&gt;", "Body text", "Your view of this page is logged", "Not sent: no mail relay is configured"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the message page lacks %q", s)
		}
	}
	if strings.Contains(r.body, "<b>\"there\"") {
		t.Error("the subject is not escaped")
	}
	want(t, c.get("/admin/outbox/99999"), http.StatusNotFound)

	// Dead letters: listed under their own filter, put back in the queue by a button.
	want(t, c.post(fmt.Sprintf("/admin/outbox/%d/requeue", msg), url.Values{}), http.StatusConflict)
	if _, err := e.db.Exec(e.ctx, "UPDATE mail_outbox SET status = 'dead', attempts = 12, last_error = '451 4.3.0 temporary' WHERE id = ?", msg); err != nil {
		t.Fatal(err)
	}
	r = c.get("/admin/outbox?status=dead")
	if !strings.Contains(r.body, "451 4.3.0 temporary") || !strings.Contains(r.body, `class="alert"`) {
		t.Errorf("dead letters:\n%.3000s", r.body)
	}
	r = c.get(fmt.Sprintf("/admin/outbox/%d", msg))
	if !strings.Contains(r.body, "A dead letter") || !strings.Contains(r.body, "Put back in the queue") {
		t.Error("a dead letter offers no requeue")
	}
	wantRedirect(t, c.post(fmt.Sprintf("/admin/outbox/%d/requeue", msg), url.Values{}), fmt.Sprintf("/admin/outbox/%d?done=outbox-requeued", msg))
	if n := countRows(e, "SELECT COUNT(*) FROM mail_outbox WHERE id = ? AND status = 'queued' AND attempts = 0", msg); n != 1 {
		t.Error("not requeued")
	}
	log := e.auditLog()
	if !strings.Contains(log, fmt.Sprintf("outbox.view outbox:%d", msg)) || !strings.Contains(log, fmt.Sprintf("outbox.requeue outbox:%d", msg)) ||
		strings.Contains(log, "outbox-reader@") {
		t.Errorf("outbox audit:\n%s", log)
	}
}

// With a relay configured the notice is gone.
func TestOutboxWithRelay(t *testing.T) {
	e := newEnv(t, "--smtp", "smtp://relay.example:587")
	c, _ := e.signedIn("owner@staff.example", staff.Owner)
	r := c.get("/admin/outbox")
	want(t, r, http.StatusOK)
	if strings.Contains(r.body, "No mail relay is configured") || !strings.Contains(r.body, "The outbox is empty") {
		t.Errorf("outbox with a relay:\n%.2000s", r.body)
	}
}
