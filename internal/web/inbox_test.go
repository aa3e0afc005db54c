package web

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/staff"
)

// The staff inbox pages, through the real server: who may see them, what they show
// (escaped), and that every action changes what it says.

// receive files a message as the public form would, and returns its conversation id.
// Its name, address and text are canaries: the logs must never hold them.
func (e *env) receive(sub contact.Submission, folder contact.Folder, score int, signals ...string) int64 {
	e.t.Helper()
	v, err := e.srv.forms.contact.Validate(sub)
	if err != nil {
		e.t.Fatalf("Validate: %v", err)
	}
	if err := e.srv.forms.contact.Receive(e.ctx, v, folder, score, signals); err != nil {
		e.t.Fatalf("Receive: %v", err)
	}
	e.canary(sub.Email, sub.Message)
	var id int64
	if err := e.db.QueryRow(e.ctx, "SELECT MAX(id) FROM contact_conversations").Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// inboxFixture makes the conversation the route table's {id} stands for.
func (e *env) inboxFixture(want int64) {
	e.t.Helper()
	if id := e.receive(contact.Submission{Name: "Fixture", Email: "fixture-contact@example.com", Subject: "Fixture",
		Message: "Hello"}, contact.New, 0); id != want {
		e.t.Fatalf("the fixture conversation has id %d; the route table uses %d for {id}", id, want)
	}
}

// conversation reads a conversation as the command line would.
func (e *env) conversation(id int64) contact.Conversation {
	e.t.Helper()
	c, err := e.srv.forms.contact.Get(e.ctx, staff.CLI, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func wantBody(t *testing.T, r resp, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.body, p) {
			t.Errorf("%s %s does not show %q\n%.3000s", r.Request.Method, r.Request.URL, p, r.body)
		}
	}
}

func wantNoBody(t *testing.T, r resp, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(r.body, p) {
			t.Errorf("%s %s shows %q", r.Request.Method, r.Request.URL, p)
		}
	}
}

// Promise: contact messages are seen only by authorized staff (support, admins,
// owners), every look is logged, and a support member can read and answer.
func TestInboxSupportReadsAndReplies(t *testing.T) {
	e := newEnv(t)
	id := e.receive(contact.Submission{Name: "Ada Customer", Email: "ada.customer@example.com", Subject: "Licence key lost",
		Message: "I lost my licence key.\nCan you send it again?", Topic: "Widgets"}, contact.New, 0)
	e.receive(contact.Submission{Name: "Sam Spammer", Email: "sam@example.com", Subject: "Cheap pills", Message: "Buy now"}, contact.Spam, 9, "links", "shouting")
	c, me := e.signedIn("sue.support@example.com", staff.Support)

	r := c.get("/admin/inbox")
	want(t, r, http.StatusOK)
	wantBody(t, r, "Ada Customer", "Licence key lost", "I lost my licence key.", "Widgets", "Your view of this page is logged",
		`href="/admin/inbox/`+strconv.FormatInt(id, 10)+`"`, `New <span class="count">1</span>`, `Spam <span class="count">1</span>`)
	wantNoBody(t, r, "Sam Spammer", "ada.customer@example.com") // spam is in its folder; the list shows no addresses
	if r := c.get("/admin/"); !strings.Contains(r.body, `href="/admin/inbox"`) {
		t.Error("support's navigation and home have no link to the inbox")
	}

	page := "/admin/inbox/" + strconv.FormatInt(id, 10)
	r = c.get(page)
	want(t, r, http.StatusOK)
	wantBody(t, r, "<h1>Licence key lost</h1>", "ada.customer@example.com", "Your view of this page is logged",
		"I lost my licence key.\nCan you send it again?", `action="`+page+`/reply"`, "Assign to me")
	wantNoBody(t, r, "Spam score") // only shown in spam and review

	// A refused reply keeps what was typed.
	long := strings.Repeat("a", contact.MaxNoteBytes+1)
	r = c.post(page+"/reply", url.Values{"reply": {long}})
	want(t, r, http.StatusBadRequest)
	wantBody(t, r, long, `aria-invalid="true"`)

	r = c.post(page+"/reply", url.Values{"reply": {"Here is your key: ABC-123."}})
	wantRedirect(t, r, page+"?done=inbox-replied#latest")
	r = c.post(page+"/note", url.Values{"note": {"Checked the order first."}})
	wantRedirect(t, r, page+"?done=inbox-noted#latest")
	r = c.post(page+"/assign", url.Values{"assignee": {"me"}})
	wantRedirect(t, r, page+"?done=inbox-assigned")

	r = c.get(page)
	want(t, r, http.StatusOK)
	wantBody(t, r, "Here is your key: ABC-123.", "Checked the order first.", "Internal note", "only staff can see this",
		`class="msg msg-out"`, `class="msg msg-note"`, "Waiting")
	got := e.conversation(id)
	if got.Folder != contact.Waiting || got.AssigneeID != me.ID || len(got.Messages) != 3 || got.Messages[1].MessageID == "" {
		t.Errorf("after reply, note and assign: folder %s, assignee %d (want %d), %d messages, reply Message-ID %q",
			got.Folder, got.AssigneeID, me.ID, len(got.Messages), got.Messages[1].MessageID)
	}
	var queued int
	if err := e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'contact.reply'").Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 1 {
		t.Errorf("%d replies queued in the outbox, want 1", queued)
	}

	// Move, then the spam folder shows the score and signals.
	r = c.post(page+"/move", url.Values{"folder": {"closed"}})
	wantRedirect(t, r, page+"?done=inbox-moved")
	if f := e.conversation(id).Folder; f != contact.Closed {
		t.Errorf("after the move the folder is %s", f)
	}
	r = c.get("/admin/inbox?folder=spam")
	want(t, r, http.StatusOK)
	wantBody(t, r, "Sam Spammer", "Cheap pills")
	r = c.get("/admin/inbox/" + strconv.FormatInt(id+1, 10))
	wantBody(t, r, "Spam score <strong>9</strong>", ">links<", ">shouting<", "Not spam")

	// Every look was audited.
	var views int
	if err := e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.view'").Scan(&views); err != nil {
		t.Fatal(err)
	}
	if views < 3 {
		t.Errorf("%d conversation views audited, want at least 3", views)
	}
	if r := c.get("/admin/inbox/999999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a missing conversation = %d, want 404", r.StatusCode)
	}
}

// Promise: only authorized personnel access personal data. Analysts and marketing
// get 403 on every inbox route, and the navigation does not offer the inbox.
func TestInboxForbidden(t *testing.T) {
	e := newEnv(t)
	id := e.receive(contact.Submission{Name: "Ada", Email: "ada.forbidden@example.com", Subject: "Private", Message: "Private text"}, contact.New, 0)
	refused := url.Values{"ids": {strconv.FormatInt(id, 10)}, "folder": {"closed"}, "action": {"move"},
		"reply": {"x"}, "note": {"x"}, "assignee": {"me"}}
	var rows []scenario
	for _, role := range []staff.Role{staff.Analyst, staff.Marketing, staff.ShopRole} {
		for _, rt := range e.srv.routes() {
			if !strings.Contains(rt.Pattern, "/admin/inbox") {
				continue
			}
			sc := scenario{Name: rt.Pattern, Role: role, Status: http.StatusForbidden,
				NotContains: []string{"ada.forbidden@example.com", "Private text"}}
			sc.Method, sc.URL = e.routePath(rt.Pattern, id)
			if sc.Method != http.MethodGet {
				sc.Form = refused
			}
			rows = append(rows, sc)
		}
		rows = append(rows, scenario{Name: "no link to the inbox", Role: role, URL: "/admin/",
			Status: http.StatusOK, NotContains: []string{`href="/admin/inbox"`}})
	}
	e.scenarios(t, rows)
	if got := e.conversation(id); got.Folder != contact.New || got.AssigneeID != 0 || len(got.Messages) != 1 {
		t.Errorf("refused posts changed the conversation: %+v", got)
	}
}

// XSS payloads in every field are shown escaped, on the list and the conversation.
func TestInboxEscapes(t *testing.T) {
	e := newEnv(t)
	const (
		name    = `<script>alert("name")</script>`
		subject = `"><img src=x onerror=alert(1)>`
		message = "</textarea><svg onload=alert(2)>\n<a href=\"javascript:alert(3)\">click</a>"
		topic   = `<b>topic</b>`
	)
	id := e.receive(contact.Submission{Name: name, Email: "xss@example.com", Subject: subject, Message: message, Topic: topic}, contact.Review, 0)
	c, _ := e.signedIn("sue@example.com", staff.Support)
	for _, path := range []string{"/admin/inbox?folder=review", "/admin/inbox/" + strconv.FormatInt(id, 10)} {
		r := c.get(path)
		want(t, r, http.StatusOK)
		wantNoBody(t, r, "<script>alert", "<img src=x", "<svg onload", `<a href="javascript:`, "<b>topic</b>", "</textarea><svg")
		wantBody(t, r, html.EscapeString(name)[:20])
	}
	r := c.get("/admin/inbox/" + strconv.FormatInt(id, 10))
	wantBody(t, r, "&lt;/textarea&gt;&lt;svg onload=alert(2)&gt;", "&lt;b&gt;topic&lt;/b&gt;")
	// A refused reply echoes the payload back into the textarea, escaped.
	r = c.post("/admin/inbox/"+strconv.FormatInt(id, 10)+"/reply", url.Values{"reply": {message + strings.Repeat("x", contact.MaxNoteBytes)}})
	want(t, r, http.StatusBadRequest)
	wantNoBody(t, r, "</textarea><svg")
}

// Bulk actions: move, assign to me, unassign, the assignee filter, and a bulk post
// with nothing selected.
func TestInboxBulk(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := range 3 {
		id := e.receive(contact.Submission{Name: "Person " + strconv.Itoa(i), Email: "p" + strconv.Itoa(i) + "@example.com",
			Subject: "Question " + strconv.Itoa(i), Message: "Text " + strconv.Itoa(i)}, contact.New, 0)
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	c, me := e.signedIn("sue@example.com", staff.Support)

	r := c.post("/admin/inbox/bulk", url.Values{"action": {"move"}, "folder": {"open"}, "ids": ids[:2], "back": {"/admin/inbox?who=mine"}})
	wantRedirect(t, r, "/admin/inbox?who=mine&done=inbox-moved")
	r = c.get("/admin/inbox")
	wantBody(t, r, `New <span class="count">1</span>`, `Open <span class="count">2</span>`, "Question 2")
	wantNoBody(t, r, "Question 0", "Question 1")

	r = c.post("/admin/inbox/bulk", url.Values{"action": {"assign-me"}, "ids": ids[:2], "back": {"/admin/inbox?folder=open"}})
	wantRedirect(t, r, "/admin/inbox?folder=open&done=inbox-assigned")
	r = c.get("/admin/inbox?folder=open&who=mine")
	wantBody(t, r, "Question 0", "Question 1", "You")
	for _, id := range ids[:2] {
		n, _ := strconv.ParseInt(id, 10, 64)
		if a := e.conversation(n).AssigneeID; a != me.ID {
			t.Errorf("conversation %s assigned to %d, want %d", id, a, me.ID)
		}
	}
	r = c.post("/admin/inbox/bulk", url.Values{"action": {"unassign"}, "ids": ids[:1]})
	wantRedirect(t, r, "/admin/inbox?done=inbox-assigned")
	r = c.get("/admin/inbox?folder=open&who=mine")
	wantBody(t, r, "Question 1")
	wantNoBody(t, r, "Question 0")

	// One-click "move-spam", a foreign "back" (ignored), nothing selected.
	r = c.post("/admin/inbox/bulk", url.Values{"action": {"move-spam"}, "ids": ids[2:], "back": {"https://evil.example/"}})
	wantRedirect(t, r, "/admin/inbox?done=inbox-moved")
	if f := e.conversation(3).Folder; f != contact.Spam {
		t.Errorf("after move-spam the folder is %s", f)
	}
	r = c.post("/admin/inbox/bulk", url.Values{"action": {"move"}, "folder": {"closed"}})
	wantRedirect(t, r, "/admin/inbox?done=inbox-none")
	r = c.post("/admin/inbox/bulk", url.Values{"action": {"move"}, "folder": {"nowhere"}, "ids": ids})
	want(t, r, http.StatusBadRequest)

	// Search finds by subject.
	r = c.search("/admin/inbox/search", url.Values{"folder": {"open"}, "q": {"question 1"}})
	wantBody(t, r, "Question 1")
	wantNoBody(t, r, "Question 0")
}

// Exports: one conversation or a selection, CSV safe against formula injection, JSON.
func TestInboxExport(t *testing.T) {
	e := newEnv(t)
	a := e.receive(contact.Submission{Name: "=HYPERLINK(\"http://evil.example\")", Email: "csv@example.com", Subject: "+cmd|' /C calc'!A0",
		Message: "-2+3", Topic: "@SUM(A1)"}, contact.New, 0)
	b := e.receive(contact.Submission{Name: "Plain", Email: "plain@example.com", Subject: "Hello", Message: "=1+1"}, contact.New, 0)
	c, _ := e.signedIn("sue@example.com", staff.Support)
	if err := e.srv.forms.contact.AddNote(e.ctx, staff.CLI, a, "@note\tcell"); err != nil {
		t.Fatal(err)
	}

	checkCSV := func(r resp, rows int) {
		t.Helper()
		want(t, r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("Content-Disposition %q", cd)
		}
		recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Fatalf("not CSV: %v\n%s", err, r.body)
		}
		if len(recs) != rows+1 {
			t.Errorf("%d rows, want %d plus the header", len(recs)-1, rows)
		}
		for _, rec := range recs {
			for _, cell := range rec {
				if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
					t.Errorf("cell %q starts with a formula character", cell)
				}
			}
		}
	}
	checkCSV(c.get("/admin/inbox/"+strconv.FormatInt(a, 10)+"/export.csv"), 2)
	sel := "/admin/inbox/export?format=csv&ids=" + strconv.FormatInt(a, 10) + "&ids=" + strconv.FormatInt(b, 10)
	r := c.get(sel)
	checkCSV(r, 3)
	for _, s := range []string{`'=HYPERLINK`, `'+cmd`, `'-2+3`, `'@SUM`, `'=1+1`, `'@note`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the CSV does not hold the neutralised %q:\n%s", s, r.body)
		}
	}

	r = c.get("/admin/inbox/" + strconv.FormatInt(a, 10) + "/export.json")
	want(t, r, http.StatusOK)
	var doc struct {
		Conversations []struct {
			Name, Email string
			Messages    []struct{ Kind, Body string }
		}
	}
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.body)
	}
	if len(doc.Conversations) != 1 || doc.Conversations[0].Email != "csv@example.com" || len(doc.Conversations[0].Messages) != 2 {
		t.Errorf("JSON export: %+v", doc)
	}
	// The bulk form's export buttons send it as a GET with the checked ids.
	r = c.get("/admin/inbox/export?back=%2Fadmin%2Finbox&format=json&ids=" + strconv.FormatInt(b, 10))
	want(t, r, http.StatusOK)
	wantBody(t, r, `"plain@example.com"`)
	wantNoBody(t, r, "csv@example.com")
	// Nothing selected: back to the list with a notice.
	wantRedirect(t, c.get("/admin/inbox/export?format=csv&back=%2Fadmin%2Finbox%3Ffolder%3Dopen"), "/admin/inbox?folder=open&done=inbox-none")

	var exports int
	if err := e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.export'").Scan(&exports); err != nil {
		t.Fatal(err)
	}
	if exports != 4 {
		t.Errorf("%d exports audited, want 4", exports)
	}
}

// An owner assigns from a choice of the members who may read the inbox, shown by
// display name or number like to everyone else (emails are on the staff pages);
// nobody can be given a conversation they may not read.
func TestInboxOwnerAssigns(t *testing.T) {
	e := newEnv(t)
	id := e.receive(contact.Submission{Name: "Ada", Email: "ada.assign@example.com", Subject: "Hello", Message: "A question about assigning"}, contact.New, 0)
	owner, me := e.signedIn("olive.owner@example.com", staff.Owner)
	sup := e.add("sue.assign@example.com", staff.Support)
	ana := e.add("andy.assign@example.com", staff.Analyst)
	if err := e.staff.SetDisplayName(e.ctx, sup.Principal(), "Sue from Support"); err != nil {
		t.Fatal(err)
	}
	page := "/admin/inbox/" + strconv.FormatInt(id, 10)

	r := owner.get(page)
	want(t, r, http.StatusOK)
	wantBody(t, r, `<select id="assignee" name="assignee">`, `value="`+strconv.FormatInt(sup.ID, 10)+`"`, ">Sue from Support<",
		">Staff #"+strconv.FormatInt(me.ID, 10)+" (you)<")
	wantNoBody(t, r, "sue.assign@example.com", "andy.assign@example.com", `value="`+strconv.FormatInt(ana.ID, 10)+`"`)
	// The owner maps names to people on the staff pages (audited there).
	r = owner.get("/admin/staff")
	wantBody(t, r, "sue.assign@example.com", ">Sue from Support</td>", ">Staff #"+strconv.FormatInt(ana.ID, 10)+"</span>")
	r = owner.get("/admin/staff/" + strconv.FormatInt(sup.ID, 10))
	wantBody(t, r, "<dt>Name in the inbox</dt><dd>Sue from Support</dd>")

	wantRedirect(t, owner.post(page+"/assign", url.Values{"assignee": {strconv.FormatInt(sup.ID, 10)}}), page+"?done=inbox-assigned")
	if a := e.conversation(id).AssigneeID; a != sup.ID {
		t.Errorf("assigned to %d, want %d", a, sup.ID)
	}
	want(t, owner.post(page+"/assign", url.Values{"assignee": {strconv.FormatInt(ana.ID, 10)}}), http.StatusBadRequest)
	if a := e.conversation(id).AssigneeID; a != sup.ID {
		t.Errorf("an analyst was given the conversation (assignee %d)", a)
	}
	// Support sees the assignee without the colleague's address, and may take it over.
	c := e.client()
	c.signIn("sue.assign@example.com", testPassword)
	r = c.get("/admin/inbox")
	wantBody(t, r, ">You<")
	wantRedirect(t, owner.post(page+"/assign", url.Values{"assignee": {"none"}}), page+"?done=inbox-assigned")
	r = c.get(page)
	wantBody(t, r, "Assign to me", `<select id="assignee"`)
	wantNoBody(t, r, "olive.owner@example.com")
}

// The "unassigned" filter shows only conversations nobody holds.
func TestInboxUnassignedFilter(t *testing.T) {
	e := newEnv(t)
	a := e.receive(contact.Submission{Name: "Held", Email: "held@example.com", Subject: "Held one", Message: "held message text"}, contact.New, 0)
	e.receive(contact.Submission{Name: "Free", Email: "free@example.com", Subject: "Free one", Message: "free message text"}, contact.New, 0)
	c, me := e.signedIn("sue@example.com", staff.Support)
	if err := e.srv.forms.contact.Assign(e.ctx, staff.CLI, []int64{a}, me.ID); err != nil {
		t.Fatal(err)
	}
	r := c.get("/admin/inbox?who=unassigned")
	want(t, r, http.StatusOK)
	wantBody(t, r, "Free one")
	wantNoBody(t, r, "Held one")
}

// Paging: 25 to a page, most recent first, with links that keep the folder.
func TestInboxPaging(t *testing.T) {
	e := newEnv(t)
	for i := range inboxPageSize + 2 {
		e.receive(contact.Submission{Name: "P", Email: "p" + strconv.Itoa(i) + "@example.com", Subject: "Subject #" + strconv.Itoa(i) + ".",
			Message: "paging message " + strconv.Itoa(i)}, contact.New, 0)
	}
	c, _ := e.signedIn("sue@example.com", staff.Support)
	r := c.get("/admin/inbox")
	wantBody(t, r, `href="/admin/inbox?page=2"`)
	var all []string
	for i := 1; i <= inboxPageSize+2; i++ {
		all = append(all, strconv.Itoa(i))
	}
	wantRedirect(t, c.post("/admin/inbox/bulk", url.Values{"action": {"move"}, "folder": {"open"}, "ids": {strings.Join(all, ",")}}), "/admin/inbox?done=inbox-moved")
	r = c.get("/admin/inbox?folder=open")
	want(t, r, http.StatusOK)
	wantBody(t, r, "1–25 of 27", `href="/admin/inbox?folder=open&amp;page=2"`, "Page 1 of 2")
	r = c.get("/admin/inbox?folder=open&page=2")
	wantBody(t, r, "26–27 of 27", `href="/admin/inbox?folder=open"`, "Page 2 of 2")
	if n := strings.Count(r.body, `name="ids"`); n != 2 {
		t.Errorf("page 2 shows %d conversations, want 2", n)
	}
}
