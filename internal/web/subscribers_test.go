package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// Promise: only authorized personnel access personal data, and every look is logged.
// Support and marketing manage subscribers; an analyst or the shop role sees none.
func TestSubscriberPagesAccess(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email,name\nvisible@example.com,Vera\n")
	id := e.subscriberID("visible@example.com")
	for _, role := range []staff.Role{staff.Support, staff.Marketing} {
		c, _ := e.signedIn(string(role)+"@staff.example", role)
		r := c.get("/admin/subscribers")
		want(t, r, http.StatusOK)
		if !strings.Contains(r.body, "visible@example.com") || !strings.Contains(r.body, "Your view of this page is logged") {
			t.Errorf("%s: the list lacks the subscriber or the logged notice", role)
		}
		if !strings.Contains(r.body, `href="/admin/subscribers"`) || !strings.Contains(r.body, `aria-current="page"`) {
			t.Errorf("%s: no active Subscribers navigation", role)
		}
		want(t, c.get(fmt.Sprintf("/admin/subscribers/%d", id)), http.StatusOK)
	}
	var rows []scenario
	for _, role := range []staff.Role{staff.Analyst, staff.ShopRole} {
		for _, p := range []string{"/admin/subscribers", fmt.Sprintf("/admin/subscribers/%d", id), "/admin/subscribers/export.csv", "/admin/subscribers/import"} {
			rows = append(rows, scenario{Name: "no subscriber page", Role: role, URL: p,
				Status: http.StatusForbidden, NotContains: []string{"visible@example.com"}})
		}
		rows = append(rows, scenario{Name: "no Subscribers navigation", Role: role, URL: "/admin/",
			Status: http.StatusOK, NotContains: []string{`href="/admin/subscribers"`}})
	}
	e.scenarios(t, rows)
}

// Lists page, sort and filter server-side; search finds the exact address through the
// blind index; each look is audited by subscriber id, never by address; names are
// escaped.
func TestSubscriberListSearchAndDetail(t *testing.T) {
	e := newEnv(t)
	var file strings.Builder
	file.WriteString("email,name\n")
	for i := range 60 {
		fmt.Fprintf(&file, "person%02d@example.com,Person %d\n", i, i)
	}
	file.WriteString(`quote@example.com,"x"" autofocus onfocus=""alert(1)"` + "\n")
	e.importSubscribers(file.String())
	c, _ := e.signedIn("owner@staff.example", staff.Owner)

	r := c.get("/admin/subscribers")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "1–50 of 61") || strings.Contains(r.body, "person09@example.com") || !strings.Contains(r.body, "quote@example.com") {
		t.Fatalf("first page is not the 50 newest of 61:\n%.3000s", r.body)
	}
	if strings.Contains(r.body, `x" autofocus`) || !strings.Contains(r.body, "x&#34; autofocus onfocus=&#34;alert(1)") {
		t.Error("a name's quotes are not escaped")
	}
	r = c.get("/admin/subscribers?page=2")
	if !strings.Contains(r.body, "51–61 of 61") || !strings.Contains(r.body, "person00@example.com") {
		t.Errorf("page 2:\n%.2000s", r.body)
	}
	r = c.get("/admin/subscribers?sort=created&dir=asc")
	if i, j := strings.Index(r.body, "person00@"), strings.Index(r.body, "person01@"); i < 0 || j < i {
		t.Error("oldest-first sort is not applied")
	}
	r = c.get("/admin/subscribers?status=pending")
	if !strings.Contains(r.body, "No subscriber matches these filters") {
		t.Error("status filter not applied")
	}
	// The export link carries the filters.
	if !strings.Contains(r.body, `href="/admin/subscribers/export.csv?status=pending"`) {
		t.Error("the export link lacks the filters")
	}

	// Exact search: case and spaces do not matter, parts of an address find nothing.
	r = c.search("/admin/subscribers/search", url.Values{"q": {" Person07@EXAMPLE.com "}})
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "person07@example.com") || strings.Contains(r.body, "person08@example.com") {
		t.Fatalf("search:\n%.2000s", r.body)
	}
	r = c.search("/admin/subscribers/search", url.Values{"q": {"person07"}})
	want(t, r, http.StatusBadRequest)
	if strings.Contains(r.body, "@example.com</a>") || !strings.Contains(r.body, `value="person07"`) || !strings.Contains(r.body, "Search for a whole email address") ||
		!strings.Contains(r.body, ">Signed up<") {
		t.Errorf("a partial search:\n%.3000s", r.body)
	}

	id := e.subscriberID("person07@example.com")
	r = c.get(fmt.Sprintf("/admin/subscribers/%d", id))
	want(t, r, http.StatusOK)
	for _, s := range []string{"person07@example.com", "Person 7", "import: test fixture", "imported", "Newsletter", "Your view of this page is logged"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the detail page lacks %q", s)
		}
	}
	want(t, c.get("/admin/subscribers/999999"), http.StatusNotFound)
	want(t, c.get("/admin/subscribers/abc"), http.StatusNotFound)

	log := e.auditLog()
	if strings.Contains(log, "example.com") {
		t.Errorf("the audit log names an address:\n%s", log)
	}
	for _, w := range []string{"subscriber.list ", fmt.Sprintf(`"found":"%d"`, id), fmt.Sprintf("subscriber.view subscriber:%d", id)} {
		if !strings.Contains(log, w) {
			t.Errorf("the audit log lacks %q:\n%s", w, log)
		}
	}
}

// Promise: exports are safe to open in a spreadsheet, and audited.
func TestSubscriberExport(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email,name\n=cmd@example.com,=1+2\n+plus@example.com,+SUM(A1)\n-minus@example.com,-2+3\nplain@example.com,Plain\n")
	c, _ := e.signedIn("support@staff.example", staff.Support)
	r := c.get("/admin/subscribers/export.csv?status=confirmed")
	want(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), `attachment; filename="subscribers-`) ||
		r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", r.Header)
	}
	recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil || len(recs) != 5 {
		t.Fatalf("export %q, %v", r.body, err)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would run as a formula", cell)
			}
		}
	}
	if !strings.Contains(r.body, "'=cmd@example.com,'=1+2,confirmed,news") || !strings.Contains(r.body, "'-minus@example.com,'-2+3") {
		t.Errorf("export:\n%s", r.body)
	}
	if log := e.auditLog(); !strings.Contains(log, "subscriber.export") || !strings.Contains(log, `"count":"4"`) || strings.Contains(log, "example.com") {
		t.Errorf("export audit:\n%s", log)
	}
}

// Promise: an address that unsubscribed is never added back by an import. The preview
// shows counts and the uploader's invalid rows (escaped); the commit needs a declared
// consent source.
func TestSubscriberImportPages(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email\nknown@example.com\n")
	if _, err := e.db.Exec(e.ctx, "INSERT INTO suppressions (email_index, reason, created_at) VALUES (?, 'unsubscribed', 0)",
		e.srv.forms.newsletter.EmailIndex("left@example.com")); err != nil {
		t.Fatal(err)
	}
	e.canary("left@example.com", "new1@example.com", "new2@example.com")
	c, _ := e.signedIn("marketing@staff.example", staff.Marketing)
	want(t, c.get("/admin/subscribers/import"), http.StatusOK)

	file := "\"Email Address\",\"First Name\",\"Last Name\",UNSUB_TIME\n" +
		"new1@example.com,New,One,\n" +
		"NEW2@example.com,New,Two,\n" +
		"known@example.com,Known,,\n" +
		"left@example.com,Left,,\n" +
		"<script>alert(1)</script>,Bad,,\n" +
		"gone@example.com,Gone,,2026-01-01 10:00:00\n"
	r := c.upload("/admin/subscribers/import", "file", "mailchimp.csv", file, nil)
	want(t, r, http.StatusOK)
	for _, s := range []string{"a Mailchimp export", "Import 2 new subscribers", "Unsubscribed or cleaned in the Mailchimp export", "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the preview lacks %q", s)
		}
	}
	if strings.Contains(r.body, "<script>alert(1)") {
		t.Error("an uploaded cell is not escaped")
	}
	if n := countRows(e, "SELECT COUNT(*) FROM subscribers"); n != 1 {
		t.Fatal("the preview imported something")
	}
	id := regexpFind(t, r.body, `name="id" value="([A-Z2-7]+)"`)

	// Without a consent source: refused, the preview shown again with the error.
	r = c.post("/admin/subscribers/import/commit", url.Values{"id": {id}, "lists": {fmt.Sprint(e.newsListID())}})
	want(t, r, http.StatusBadRequest)
	if !strings.Contains(r.body, "Say where these people gave their consent") || !strings.Contains(r.body, "Import 2 new subscribers") {
		t.Errorf("consent error page:\n%.2000s", r.body)
	}
	// Another member cannot use the preview.
	other, _ := e.signedIn("other@staff.example", staff.Marketing)
	want(t, other.post("/admin/subscribers/import/commit", url.Values{"id": {id}, "consent": {"stolen"}, "lists": {fmt.Sprint(e.newsListID())}}), http.StatusNotFound)

	r = c.post("/admin/subscribers/import/commit", url.Values{"id": {id}, "consent": {"Mailchimp export 2026-11, double opt-in there"}, "lists": {fmt.Sprint(e.newsListID())}})
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "Import finished") {
		t.Fatalf("done page:\n%.2000s", r.body)
	}
	if n := countRows(e, "SELECT COUNT(*) FROM subscribers"); n != 3 {
		t.Errorf("%d subscribers after the import; want 3", n)
	}
	if n := countRows(e, "SELECT COUNT(*) FROM subscribers WHERE email_index = ?", e.srv.forms.newsletter.EmailIndex("left@example.com")); n != 0 {
		t.Error("a suppressed address was imported")
	}
	// Used once.
	want(t, c.post("/admin/subscribers/import/commit", url.Values{"id": {id}, "consent": {"again"}, "lists": {fmt.Sprint(e.newsListID())}}), http.StatusNotFound)

	// Bad uploads are refused in place.
	r = c.upload("/admin/subscribers/import", "file", "x.csv", "name,city\nAna,Oslo\n", nil)
	want(t, r, http.StatusBadRequest)
	if !strings.Contains(r.body, "must name its columns") {
		t.Errorf("bad header:\n%.1000s", r.body)
	}
	want(t, c.post("/admin/subscribers/import", url.Values{}), http.StatusBadRequest)

	log := e.auditLog()
	if strings.Contains(log, "example.com") || !strings.Contains(log, "subscriber.import.preview") || !strings.Contains(log, `"added":"2"`) {
		t.Errorf("import audit:\n%s", log)
	}
}

// The upload may be larger than other requests, up to the import cap.
func TestSubscriberImportSizeCap(t *testing.T) {
	e := newEnv(t, "--max-body", "4096")
	c, _ := e.signedIn("owner@staff.example", staff.Owner)
	var file strings.Builder
	file.WriteString("email\n")
	for i := 0; file.Len() < 64<<10; i++ {
		fmt.Fprintf(&file, "bulk%05d@example.com\n", i)
	}
	r := c.upload("/admin/subscribers/import", "file", "big.csv", file.String(), nil)
	want(t, r, http.StatusOK)
	// Other posts keep the configured cap.
	want(t, c.post("/admin/subscribers/1/delete", url.Values{"pad": {strings.Repeat("x", 8192)}}), http.StatusRequestEntityTooLarge)
	// Past the import cap: refused.
	huge := strings.Repeat("x", 5<<20+128<<10)
	r = c.upload("/admin/subscribers/import", "file", "huge.csv", huge, nil)
	want(t, r, http.StatusRequestEntityTooLarge) // refused by its Content-Length, before the handler
}

func TestSubscriberDeletePage(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email\nbye@example.com\nkeep@example.com\n")
	c, _ := e.signedIn("support@staff.example", staff.Support)
	id := e.subscriberID("bye@example.com")
	wantRedirect(t, c.post(fmt.Sprintf("/admin/subscribers/%d/delete", id), url.Values{"suppress": {"1"}}), "/admin/subscribers?done=subscriber-suppressed")
	if n := countRows(e, "SELECT COUNT(*) FROM suppressions WHERE reason = 'manual'"); n != 1 {
		t.Error("no manual suppression")
	}
	r := c.get("/admin/subscribers?done=subscriber-suppressed")
	if !strings.Contains(r.body, "their address suppressed") || strings.Contains(r.body, "bye@example.com") {
		t.Errorf("after delete:\n%.1500s", r.body)
	}
	id = e.subscriberID("keep@example.com")
	wantRedirect(t, c.post(fmt.Sprintf("/admin/subscribers/%d/delete", id), url.Values{}), "/admin/subscribers?done=subscriber-deleted")
	if n := countRows(e, "SELECT COUNT(*) FROM suppressions"); n != 1 {
		t.Error("a plain delete suppressed the address")
	}
	want(t, c.post(fmt.Sprintf("/admin/subscribers/%d/delete", id), url.Values{}), http.StatusNotFound)
	if res := e.importSubscribers("bye@example.com\nkeep@example.com\n"); res.Added != 1 || res.Suppressed != 1 {
		t.Errorf("re-import: %+v", res)
	}
	if log := e.auditLog(); !strings.Contains(log, "subscriber.delete") || strings.Contains(log, "example.com") {
		t.Errorf("delete audit:\n%s", log)
	}
}
