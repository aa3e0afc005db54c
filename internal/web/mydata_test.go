package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// myDataForm is the /my-data form for email, with its anti-bot fields solved as
// antibot.js would.
func (e *env) myDataForm(email string) url.Values {
	e.t.Helper()
	v := e.solvedFor(formMyData)
	v.Set("email", email)
	return v
}

// Promise (issue 10 §3): /my-data answers the same for a known and an unknown address
// (status, redirect, page, and one mail queued either way), and the page behind the
// link shows what is held; its erase form is refused from another origin, even the
// vendor's site.
func TestMyDataAnswersTheSameForKnownAndUnknownAddresses(t *testing.T) {
	e := newEnv(t, "--site-origin", "https://www.vendor.example")
	e.importSubscribers("email,name\nknown@example.com,Kim Known\n")
	e.canary("known@example.com", "unknown@example.com", "Kim Known")
	var answers []resp
	for _, addr := range []string{"known@example.com", "unknown@example.com"} {
		c := e.client()
		r := c.post("/my-data", e.myDataForm(addr))
		answers = append(answers, r)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/my-data/sent" {
			t.Fatalf("POST /my-data (%s) = %d %q", addr, r.StatusCode, r.Header.Get("Location"))
		}
	}
	if answers[0].body != answers[1].body {
		t.Errorf("the answers differ:\n%s\n%s", answers[0].body, answers[1].body)
	}
	if n := e.count("SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'privacy.link'"); n != 2 {
		t.Errorf("%d link mails queued; want one per address, known or not", n)
	}
	link := e.outboxLink("privacy.link", "/my-data/view?t=") // the unknown address's
	c := e.client()
	r := c.get(link)
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "No subscription") || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the unknown address's view:\n%.1000s", r.body)
	}
	want(t, c.get("/my-data/view?t=forged"), http.StatusNotFound)

	token, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
	req := c.newRequest(http.MethodPost, "/my-data/view/erase", strings.NewReader(url.Values{"t": token["t"], "confirm": {"yes"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://www.vendor.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	want(t, c.do(req), http.StatusForbidden)
}

// Promise: only authorized personnel access personal data. The Data requests page
// (privacy.requests: owners and admins) for every role; the address is only ever
// posted, the view shows the person's data, and the list shows each recorded request
// with its deadline.
func TestDataRequestsPageAuthorization(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email,name\nfound@example.com,Fay Found\n")
	e.canary("found@example.com", "Fay Found")
	find := url.Values{"email": {"found@example.com"}}
	// A request received 40 days ago and never answered: past its 30-day deadline.
	old := time.Now().Add(-40 * 24 * time.Hour)
	if _, err := (sqldb.SubjectStore{DB: e.db}).CreateRequest(e.ctx, privacy.Request{Kind: privacy.Erase, Channel: privacy.StaffDesk,
		EmailIndex: "x", EmailSealed: "x", ReceivedAt: old, DeadlineAt: old.Add(privacy.Deadline), Actor: "cli"}); err != nil {
		t.Fatal(err)
	}
	var rows []scenario
	for _, role := range staff.Roles {
		st, find := http.StatusForbidden, http.StatusForbidden
		var has []string
		if role.Can(staff.HandleRequests) {
			st, find, has = http.StatusOK, http.StatusOK, []string{"Fay Found"}
		}
		rows = append(rows,
			scenario{Name: "the list", Role: role, URL: "/admin/data-requests", Status: st},
			scenario{Name: "find", Role: role, URL: "/admin/data-requests/find", Form: url.Values{"email": {"found@example.com"}}, Status: find, Contains: has},
			scenario{Name: "erase asks first", Role: role, URL: "/admin/data-requests/erase", Form: url.Values{"email": {"found@example.com"}}, Status: find,
				Contains: has},
		)
	}
	rows = append(rows,
		scenario{Name: "anonymous list", URL: "/admin/data-requests", Status: http.StatusSeeOther, Location: "/admin/login?next=%2Fadmin%2Fdata-requests"},
		scenario{Name: "anonymous find", URL: "/admin/data-requests/find", Form: find, Status: http.StatusUnauthorized},
		scenario{Name: "the requests, with deadlines", Role: staff.Owner, URL: "/admin/data-requests", Status: http.StatusOK,
			Contains: []string{"access", "Days left", "subscriber=1", `<span class="pill danger">overdue</span>`}, NotContains: []string{"found@example.com"}},
		scenario{Name: "erase", Role: staff.Admin, URL: "/admin/data-requests/erase", Form: url.Values{"email": {"found@example.com"}, "confirm": {"yes"}},
			Status: http.StatusOK, Contains: []string{"Erased"}},
	)
	e.scenarios(t, rows)
	if n := e.count("SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Errorf("%d subscribers after the erasure", n)
	}
}
