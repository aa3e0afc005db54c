package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/staff"
)

// Helpers of the subscriber, campaign and outbox page tests.

// newsListID is the id of the default list.
func (e *env) newsListID() int64 {
	e.t.Helper()
	lists, err := e.srv.forms.newsletter.Lists(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, l := range lists {
		if l.Slug == newsletter.DefaultList {
			return l.ID
		}
	}
	e.t.Fatal("no default list")
	return 0
}

// importSubscribers imports a CSV file as the command line would, and registers every
// address in it as a canary for the logs.
func (e *env) importSubscribers(file string) newsletter.ImportResult {
	e.t.Helper()
	pv, err := e.srv.forms.newsletter.PreviewImport(e.ctx, staff.CLI, strings.NewReader(file))
	if err != nil {
		e.t.Fatal(err)
	}
	res, err := e.srv.forms.newsletter.CommitImport(e.ctx, staff.CLI, pv.ID, "test fixture", []int64{e.newsListID()})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, f := range strings.FieldsFunc(file, func(r rune) bool { return r == '\n' || r == ',' }) {
		if strings.Contains(f, "@") {
			e.canary(strings.ToLower(strings.TrimSpace(f)))
		}
	}
	return res
}

// subscriberID returns the id of the subscriber with an address.
func (e *env) subscriberID(email string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.QueryRow(e.ctx, "SELECT id FROM subscribers WHERE email_index = ?", e.srv.forms.newsletter.EmailIndex(email)).Scan(&id); err != nil {
		e.t.Fatalf("subscriber %s: %v", email, err)
	}
	return id
}

// staffSideFixtures makes the subscriber, campaign and outbox message that the route
// table's {id} stands for: each must get the id the route table uses (all tables start
// empty, so the first row of each is that id). For lists, {id} is the default list.
func (e *env) staffSideFixtures(want int64) {
	e.t.Helper()
	e.importSubscribers("email,name\nfixture@example.com,Fixture\n")
	camp, err := e.srv.campaignPages.campaigns.Create(e.ctx, staff.CLI, newsletter.Campaign{Subject: "Fixture", BodyMarkdown: "Hello", Lists: []int64{e.newsListID()}})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.srv.campaignPages.campaigns.TestSend(e.ctx, staff.CLI, camp, "fixture-test@example.com"); err != nil {
		e.t.Fatal(err)
	}
	e.canary("fixture-test@example.com")
	var msg int64
	if err := e.db.QueryRow(e.ctx, "SELECT MAX(id) FROM mail_outbox").Scan(&msg); err != nil {
		e.t.Fatal(err)
	}
	if sub := e.subscriberID("fixture@example.com"); sub != want || camp != want || msg != want {
		e.t.Fatalf("fixtures got ids subscriber %d, campaign %d, message %d; the route table uses %d for {id}", sub, camp, msg, want)
	}
	if list := e.newsListID(); list != want { // the migration's default list, never deleted
		e.t.Fatalf("the default list has id %d; the route table uses %d for {id}", list, want)
	}
}

// upload posts a multipart form with one file.
func (c *client) upload(path, field, filename, content string, fields map[string]string) resp {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		c.e.t.Fatal(err)
	}
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req := c.newRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// auditLog is the whole audit log as text, one entry a line.
func (e *env) auditLog() string {
	e.t.Helper()
	entries, err := e.srv.auditPages.audit.List(context.Background(), audit.Filter{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	var b strings.Builder
	for _, en := range entries {
		fmt.Fprintf(&b, "%s %s %s %s\n", en.Actor, en.Action, en.Subject, audit.EncodeDetail(en.Detail))
	}
	return b.String()
}

// countRows runs a COUNT query.
func countRows(e *env, query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(e.ctx, query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// regexpFind returns the first submatch of pattern in s.
func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%.3000s", pattern, s)
	}
	return m[1]
}
