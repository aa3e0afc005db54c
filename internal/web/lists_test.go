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

// listID returns the id of the list with a slug.
func (e *env) listID(slug string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.QueryRow(e.ctx, "SELECT id FROM newsletter_lists WHERE slug = ?", slug).Scan(&id); err != nil {
		e.t.Fatalf("list %s: %v", slug, err)
	}
	return id
}

// Staff who manage subscribers manage the lists: create, rename, delete; the page
// shows each list's confirmed subscribers and the checkbox to paste.
func TestListsPage(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email\na@example.com\nb@example.com\n")
	c, _ := e.signedIn("marketing@staff.example", staff.Marketing)

	r := c.get("/admin/subscribers")
	if !strings.Contains(r.body, `<a class="button" href="/admin/lists">Lists</a>`) {
		t.Errorf("the subscribers page does not link to the lists:\n%.1500s", r.body)
	}
	r = c.get("/admin/lists")
	want(t, r, http.StatusOK)
	news := e.newsListID()
	for _, s := range []string{
		"<h1>Lists</h1>",
		`<code>news</code>`,
		`<span class="pill info">Default</span>`,
		fmt.Sprintf(`<a href="/admin/subscribers?list=%d&amp;status=confirmed" title="The confirmed subscribers of this list">2</a>`, news),
		`<code class="cell">&lt;label&gt;&lt;input type=&#34;checkbox&#34; name=&#34;list&#34; value=&#34;news&#34;&gt; Newsletter&lt;/label&gt;</code>`,
		`The default list cannot be deleted`,
		`aria-current="page"`, // the Subscribers navigation is active
	} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the lists page lacks %s", s)
		}
	}
	if strings.Contains(r.body, fmt.Sprintf(`action="/admin/lists/%d/delete"`, news)) {
		t.Error("the default list offers a delete")
	}

	// Create: errors are shown next to the form with what was typed.
	r = c.post("/admin/lists", url.Values{"slug": {"Product X"}, "name": {"Product X"}})
	want(t, r, http.StatusBadRequest)
	if !strings.Contains(r.body, `id="slug" name="slug"`) || !strings.Contains(r.body, `value="Product X" aria-invalid="true"`) || !strings.Contains(r.body, "lowercase letters") {
		t.Errorf("invalid slug:\n%.3000s", r.body)
	}
	r = c.post("/admin/lists", url.Values{"slug": {"news"}, "name": {"Again"}})
	want(t, r, http.StatusConflict)
	if !strings.Contains(r.body, "already exists") {
		t.Errorf("taken slug:\n%.3000s", r.body)
	}
	wantRedirect(t, c.post("/admin/lists", url.Values{"slug": {"product-x"}, "name": {"Product X"}, "description": {"Releases"}}), "/admin/lists?done=list-created")
	px := e.listID("product-x")
	r = c.get("/admin/lists?done=list-created")
	if !strings.Contains(r.body, "The list was created") || !strings.Contains(r.body, "value=&#34;product-x&#34;&gt; Product X") {
		t.Errorf("after create:\n%.3000s", r.body)
	}
	// The public form offers it at once.
	if r := e.client().get("/subscribe"); !strings.Contains(r.body, `value="product-x"`) {
		t.Errorf("the subscribe page does not offer the new list:\n%.2000s", r.body)
	}

	// Rename: an error opens that row's form again, with what was typed.
	r = c.post(fmt.Sprintf("/admin/lists/%d", px), url.Values{"name": {""}, "description": {"kept"}})
	want(t, r, http.StatusBadRequest)
	if !strings.Contains(r.body, `<details class="edit" open>`) || !strings.Contains(r.body, `value="kept"`) ||
		strings.Contains(r.body, `id="name" name="name" required maxlength="80" autocomplete="off" value="" aria-invalid`) {
		t.Errorf("invalid rename:\n%.4000s", r.body)
	}
	wantRedirect(t, c.post(fmt.Sprintf("/admin/lists/%d", px), url.Values{"name": {"Product X Pro"}}), "/admin/lists?done=list-saved")
	wantRedirect(t, c.post(fmt.Sprintf("/admin/lists/%d", news), url.Values{"name": {"Company news"}}), "/admin/lists?done=list-saved")
	want(t, c.post("/admin/lists/9999", url.Values{"name": {"X"}}), http.StatusNotFound)

	// Delete: refused while a draft targets the list, and the page says which.
	camp, err := e.srv.campaignPages.campaigns.Create(e.ctx, staff.CLI, newsletter.Campaign{Subject: "Pro launch", BodyMarkdown: "Hi", Lists: []int64{px}})
	if err != nil {
		t.Fatal(err)
	}
	r = c.post(fmt.Sprintf("/admin/lists/%d/delete", px), nil)
	want(t, r, http.StatusConflict)
	if !strings.Contains(r.body, `role="alert">“Product X Pro” cannot be deleted: the campaign “Pro launch” (draft) still targets it.`) {
		t.Errorf("delete of a list in use:\n%.3000s", r.body)
	}
	want(t, c.post(fmt.Sprintf("/admin/lists/%d/delete", news), nil), http.StatusConflict)
	if err := e.srv.campaignPages.campaigns.Cancel(e.ctx, staff.CLI, camp); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, c.post(fmt.Sprintf("/admin/lists/%d/delete", px), nil), "/admin/lists?done=list-deleted")
	want(t, c.post(fmt.Sprintf("/admin/lists/%d/delete", px), nil), http.StatusNotFound)
	r = c.get("/admin/lists?done=list-deleted")
	if strings.Contains(r.body, "value=&#34;product-x&#34;") || !strings.Contains(r.body, "Company news") {
		t.Errorf("after delete:\n%.3000s", r.body)
	}
	log := e.auditLog()
	for _, a := range []string{"list.create list:", "list.update list:", "list.delete list:"} {
		if !strings.Contains(log, a) {
			t.Errorf("no %s in the audit log:\n%s", a, log)
		}
	}
}

// Promise: only authorized personnel change what people receive. An analyst or the
// shop role can neither see nor change the lists.
func TestListsAccess(t *testing.T) {
	e := newEnv(t)
	news := e.newsListID()
	var rows []scenario
	for _, role := range []staff.Role{staff.Analyst, staff.ShopRole} {
		rows = append(rows,
			scenario{Name: "lists page", Role: role, URL: "/admin/lists", Status: http.StatusForbidden},
			scenario{Name: "create", Role: role, URL: "/admin/lists", Form: url.Values{"slug": {"sneaky"}, "name": {"Sneaky"}}, Status: http.StatusForbidden},
			scenario{Name: "rename", Role: role, URL: fmt.Sprintf("/admin/lists/%d", news), Form: url.Values{"name": {"Renamed"}}, Status: http.StatusForbidden},
			scenario{Name: "delete", Role: role, Method: http.MethodPost, URL: fmt.Sprintf("/admin/lists/%d/delete", news), Status: http.StatusForbidden})
	}
	e.scenarios(t, rows)
	if n := countRows(e, "SELECT COUNT(*) FROM newsletter_lists WHERE slug = 'sneaky' OR name = 'Renamed'"); n != 0 {
		t.Error("a refused post changed the lists")
	}
	if n := countRows(e, "SELECT COUNT(*) FROM newsletter_lists"); n != 1 {
		t.Errorf("%d lists after refused posts", n)
	}
}

// Names and descriptions are typed by staff and shown to the public (subscribe form,
// preferences): they are escaped everywhere, including inside the snippet.
func TestListNamesEscaped(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn("support@staff.example", staff.Support)
	const evil = `<script>alert(1)</script>`
	const attr = `x" autofocus onfocus="alert(2)`
	wantRedirect(t, c.post("/admin/lists", url.Values{"slug": {"evil"}, "name": {evil}, "description": {attr}}), "/admin/lists?done=list-created")
	for _, p := range []string{"/admin/lists", "/admin/subscribers", "/subscribe"} {
		cl := c
		if p == "/subscribe" {
			cl = e.client()
		}
		r := cl.get(p)
		want(t, r, http.StatusOK)
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, `" autofocus`) {
			t.Errorf("%s shows a list name unescaped:\n%.3000s", p, r.body)
		}
	}
	r := c.get("/admin/lists")
	// The snippet escapes the name as HTML source, and the page escapes the snippet.
	if !strings.Contains(r.body, `&gt; &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;&lt;/label&gt;`) {
		t.Errorf("the snippet is not the escaped HTML source:\n%.3000s", r.body)
	}
	// The create form refuses a name with a line break, keeping what was typed.
	r = c.post("/admin/lists", url.Values{"slug": {"two"}, "name": {"a\nb" + evil}})
	want(t, r, http.StatusBadRequest)
	if strings.Contains(r.body, "<script>alert") {
		t.Error("the refused name is echoed unescaped")
	}
}
