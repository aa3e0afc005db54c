package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/staff"
)

// Display names: a member chooses one on their account page, and colleagues see it
// in the inbox instead of a number; nobody but an owner on the staff pages sees a
// colleague's email.

// Promise: a member sets their display name on their own account page; a refused name
// is shown again under its field, as typed (escaped); an empty one clears it; a post
// from another site is refused.
func TestAccountDisplayName(t *testing.T) {
	e := newEnv(t)
	c, me := e.signedIn("sue.account@example.com", staff.Support)

	r := c.get("/admin/account")
	want(t, r, http.StatusOK)
	wantBody(t, r, `action="/admin/account/name"`, `name="display_name"`, `value=""`,
		"How colleagues see you in the inbox; your email is never shown to them", "Staff #"+strconv.FormatInt(me.ID, 10))

	r = c.post("/admin/account/name", url.Values{"display_name": {`<b>Sue</b> "x"`}})
	want(t, r, http.StatusBadRequest)
	wantBody(t, r, `value="&lt;b&gt;Sue&lt;/b&gt; &#34;x&#34;"`, `aria-invalid="true"`,
		`<p class="field-error" id="display_name-err" role="alert">The name cannot contain &lt; or &gt;.</p>`)
	wantNoBody(t, r, "<b>Sue</b>", `<p class="error" role="alert">`)

	wantRedirect(t, c.post("/admin/account/name", url.Values{"display_name": {"  Sue Support  "}}), "/admin/account?done=name-saved")
	r = c.get("/admin/account?done=name-saved")
	wantBody(t, r, `value="Sue Support"`, "Your display name was saved.")
	if m, err := e.staff.Get(e.ctx, staff.CLI, me.ID); err != nil || m.DisplayName != "Sue Support" {
		t.Fatalf("saved display name %q, %v", m.DisplayName, err)
	}

	// Another site cannot rename a member, even with their session.
	req := c.newRequest(http.MethodPost, "/admin/account/name", strings.NewReader(url.Values{"display_name": {"Hacked"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	want(t, c.do(req), http.StatusForbidden)

	wantRedirect(t, c.post("/admin/account/name", url.Values{"display_name": {""}}), "/admin/account?done=name-saved")
	if m, err := e.staff.Get(e.ctx, staff.CLI, me.ID); err != nil || m.DisplayName != "" {
		t.Fatalf("after clearing: %q, %v", m.DisplayName, err)
	}
	if n := countRows(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.display_name' AND subject = ?", staff.Subject(me.ID)); n != 2 {
		t.Errorf("%d display-name changes audited; want 2 (set, cleared)", n)
	}
	e.checkLogs()
}

// Promise: support staff assign conversations to each other by display name, and a
// member who may not manage staff never sees a colleague's email: not in the assign
// control, not as an assignee, not as the author of a note, not in the list.
func TestInboxSupportAssignsByDisplayName(t *testing.T) {
	e := newEnv(t)
	id := e.receive(contact.Submission{Name: "Cas Customer", Email: "cas.customer@example.com", Subject: "Where is my key",
		Message: "Please resend my key"}, contact.New, 0)
	sue, me := e.signedIn("sue.colleague@example.com", staff.Support)
	owner := e.add("olive.colleague@example.com", staff.Owner)
	sam := e.add("sam.colleague@example.com", staff.Support)
	ada := e.add("ada.colleague@example.com", staff.Admin) // no display name: shown by number
	andy := e.add("andy.colleague@example.com", staff.Analyst)
	gone := e.add("gone.colleague@example.com", staff.Support)
	for m, name := range map[staff.Member]string{sam: "Sam Helpdesk", andy: "Andy Analyst", gone: "Gone Colleague", owner: "Olive Owner"} {
		if err := e.staff.SetDisplayName(e.ctx, m.Principal(), name); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.srv.forms.contact.AddNote(e.ctx, gone.Principal(), id, "Looked at it before leaving."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.staff.Disable(e.ctx, staff.CLI, gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.forms.contact.AddNote(e.ctx, sam.Principal(), id, "Checked: order found."); err != nil {
		t.Fatal(err)
	}
	// Every colleague's address, and the part before the @, must stay off the pages.
	var leaks []string
	for _, m := range []staff.Member{owner, sam, ada, andy, gone} {
		email := m.Email.Reveal()
		local, _, _ := strings.Cut(email, "@")
		leaks = append(leaks, email, local+"@", ">"+local)
	}
	str := func(id int64) string { return strconv.FormatInt(id, 10) }
	page := "/admin/inbox/" + str(id)

	r := sue.get(page)
	want(t, r, http.StatusOK)
	wantBody(t, r, `<select id="assignee" name="assignee">`,
		`<option value="`+str(sam.ID)+`">Sam Helpdesk</option>`,
		`<option value="`+str(ada.ID)+`">Staff #`+str(ada.ID)+`</option>`,
		`<option value="`+str(owner.ID)+`">Olive Owner</option>`,
		`<option value="`+str(me.ID)+`">Staff #`+str(me.ID)+` (you)</option>`,
		"<strong>Sam Helpdesk</strong>",   // the note's author
		"<strong>Gone Colleague</strong>") // a former colleague's note keeps their name
	wantNoBody(t, r, `value="`+str(andy.ID)+`"`, `value="`+str(gone.ID)+`"`, "Andy Analyst")
	wantNoBody(t, r, leaks...)

	wantRedirect(t, sue.post(page+"/assign", url.Values{"assignee": {str(sam.ID)}}), page+"?done=inbox-assigned")
	if a := e.conversation(id).AssigneeID; a != sam.ID {
		t.Fatalf("support assigned to %d; want %d", a, sam.ID)
	}
	want(t, sue.post(page+"/assign", url.Values{"assignee": {str(andy.ID)}}), http.StatusBadRequest)
	want(t, sue.post(page+"/assign", url.Values{"assignee": {str(gone.ID)}}), http.StatusBadRequest)

	r = sue.get(page)
	wantBody(t, r, "<dt>Assigned to</dt><dd>Sam Helpdesk</dd>", `<option value="`+str(sam.ID)+`" selected>Sam Helpdesk</option>`)
	wantNoBody(t, r, leaks...)
	r = sue.get("/admin/inbox")
	want(t, r, http.StatusOK)
	wantBody(t, r, ">Sam Helpdesk</td>")
	wantNoBody(t, r, leaks...)

	// The colleague sees the conversation as theirs.
	c := e.client()
	c.signIn("sam.colleague@example.com", testPassword)
	r = c.get("/admin/inbox")
	wantBody(t, r, ">You</td>")
	wantNoBody(t, r, "sue.colleague@example.com")
	e.checkLogs()
}

// Promise: an owner can clear a display name colleagues should not see (audited, the
// member may choose another); the button shows only when there is a name to clear.
func TestOwnerClearsADisplayName(t *testing.T) {
	e := newEnv(t)
	owner, _ := e.signedIn("olive.clear@example.com", staff.Owner)
	sam := e.add("sam.clear@example.com", staff.Support)
	if err := e.staff.SetDisplayName(e.ctx, sam.Principal(), "Rude Name"); err != nil {
		t.Fatal(err)
	}
	page := "/admin/staff/" + strconv.FormatInt(sam.ID, 10)
	wantBody(t, owner.get(page), "Rude Name", `action="`+page+`/clear-name"`)
	wantRedirect(t, owner.post(page+"/clear-name", url.Values{}), page+"?done=staff-updated")
	if m, err := e.staff.Get(e.ctx, staff.CLI, sam.ID); err != nil || m.DisplayName != "" {
		t.Fatalf("after clearing: %q, %v", m.DisplayName, err)
	}
	e.scenarios(t, []scenario{
		{Name: "the name is gone", As: owner, URL: page, Status: http.StatusOK, NotContains: []string{"Rude Name", `/clear-name"`}},
		{Name: "only staff managers clear names", Role: staff.Support, URL: page + "/clear-name", Form: url.Values{}, Status: http.StatusForbidden},
	})
}

// A member who still owes a setup step (here the one-time password's change) cannot
// name themselves yet: the form is not shown and a post is refused.
func TestNoDisplayNameBeforeSetup(t *testing.T) {
	e := newEnv(t)
	m := e.addWith("new.member@example.com", staff.Support, "one-time-password-1", true)
	c := e.client()
	c.signIn("new.member@example.com", "one-time-password-1")
	e.scenarios(t, []scenario{
		{Name: "no name form", As: c, URL: "/admin/account", Status: http.StatusOK, NotContains: []string{`action="/admin/account/name"`}},
		{Name: "a name refused", As: c, URL: "/admin/account/name", Form: url.Values{"display_name": {"Early Name"}}, Status: http.StatusForbidden},
	})
	if got, err := e.staff.Get(e.ctx, staff.CLI, m.ID); err != nil || got.DisplayName != "" {
		t.Fatalf("a member owing setup named themselves: %q, %v", got.DisplayName, err)
	}
}
