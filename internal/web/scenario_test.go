package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// scenario is one request and what its answer must and must not hold: one row of a table
// test, in the style of pocketbase's tests.ApiScenario. A table of them reads as the
// authorization matrix or the list of things a page must never show.
type scenario struct {
	Name        string
	Role        staff.Role // who asks: a member of this role, signed in once per env ("": anonymous)
	As          *client    // who asks, when a particular client is meant (overrides Role)
	Method      string     // "" is GET, or POST when Form is set
	URL         string
	Form        url.Values // the body, form-encoded
	Status      int        // the status the answer must have
	Location    string     // for a redirect: where it must point ("": not checked)
	Contains    []string   // what the body must contain
	NotContains []string   // what the body must never contain
}

// scenarios runs every row and reports each failure with its row's name; a failing row
// does not stop the others.
func (e *env) scenarios(t *testing.T, rows []scenario) {
	t.Helper()
	for _, sc := range rows {
		sc.run(t, e)
	}
}

// run sends the scenario's request and checks its answer.
func (sc scenario) run(t *testing.T, e *env) {
	t.Helper()
	c := sc.As
	if c == nil {
		c = e.roleClient(sc.Role)
	}
	method := sc.Method
	if method == "" {
		method = http.MethodGet
		if sc.Form != nil {
			method = http.MethodPost
		}
	}
	req := c.newRequest(method, sc.URL, strings.NewReader(sc.Form.Encode()))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r := c.do(req)
	who := string(sc.Role)
	if sc.As != nil {
		who = "a given client"
	} else if who == "" {
		who = "anonymous"
	}
	if r.StatusCode != sc.Status {
		t.Errorf("%s: %s %s as %s = %d; want %d\n%.1500s", sc.Name, method, sc.URL, who, r.StatusCode, sc.Status, r.body)
	}
	if sc.Location != "" {
		if got := r.Header.Get("Location"); got != sc.Location {
			t.Errorf("%s: %s %s as %s redirects to %q; want %q", sc.Name, method, sc.URL, who, got, sc.Location)
		}
	}
	for _, s := range sc.Contains {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s: %s %s as %s lacks %q\n%.1500s", sc.Name, method, sc.URL, who, s, r.body)
		}
	}
	for _, s := range sc.NotContains {
		if strings.Contains(r.body, s) {
			t.Errorf("%s: %s %s as %s shows %q", sc.Name, method, sc.URL, who, s)
		}
	}
}

// roleClient is a client signed in as this env's member of role, made on first use ("":
// a new anonymous client).
func (e *env) roleClient(role staff.Role) *client {
	e.t.Helper()
	if role == "" {
		return e.client()
	}
	if c, ok := e.roles[role]; ok {
		return c
	}
	if e.roles == nil {
		e.roles = map[staff.Role]*client{}
	}
	c, _ := e.signedIn(string(role)+"-scenario@staff.example", role)
	e.roles[role] = c
	return c
}
