package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/cli"
)

// Promise: the vendor can add a mailing list from the server's command line and gets the
// checkbox to paste into the website's form; the public form accepts sign-ups to it at
// once; mistakes name the argument to fix; the change is in the audit log.
func TestListsCommand(t *testing.T) {
	in := newInstall(t)
	args := func(a ...string) []string { return append(a, in.args()...) }
	if out, err := in.candor("", nil, args("migrate")...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}

	out, err := in.candor("", nil, "--help")
	if err != nil || !strings.Contains(out, "lists") || !strings.Contains(out, "mailing lists") {
		t.Errorf("candor --help does not offer lists: %v\n%s", err, out)
	}
	out, err = in.candor("", nil, "lists", "add", "--help")
	if err != nil || !strings.Contains(out, "candor lists add SLUG --name N") || !strings.Contains(out, "--description") {
		t.Errorf("candor lists add --help: %v\n%s", err, out)
	}
	if _, err := in.candor("", nil, "lists"); cli.ExitCode(err) != 2 {
		t.Errorf("candor lists without a command: %v (exit %d); want a usage error", err, cli.ExitCode(err))
	}

	out, err = in.candor("", nil, args("lists", "list")...)
	if err != nil || !strings.Contains(out, "SLUG") || !strings.Contains(out, "news") || !strings.Contains(out, "Newsletter") {
		t.Fatalf("lists list: %v\n%s", err, out)
	}

	out, err = in.candor("", nil, args("lists", "add", "northwind-pro", "--name", "Northwind Pro & Teams", "--description", "Releases of Pro")...)
	if err != nil {
		t.Fatalf("lists add: %v\n%s", err, out)
	}
	const snippet = `<label><input type="checkbox" name="list" value="northwind-pro"> Northwind Pro &amp; Teams</label>`
	if !strings.Contains(out, "added list") || !strings.Contains(out, snippet) {
		t.Errorf("lists add does not print the checkbox to paste:\n%s", out)
	}
	// The flags may also come first.
	if out, err := in.candor("", nil, args("lists", "add", "--name", "Beta", "beta")...); err != nil {
		t.Errorf("lists add with the slug last: %v\n%s", err, out)
	}

	for _, tc := range []struct {
		name string
		argv []string
		want string
		exit int
	}{
		{"taken slug", []string{"lists", "add", "northwind-pro", "--name", "Again"}, "SLUG: A list with the slug “northwind-pro” already exists", 1},
		{"bad slug", []string{"lists", "add", "Northwind_Pro", "--name", "X"}, "SLUG: The slug must be", 1},
		{"long name", []string{"lists", "add", "long", "--name", strings.Repeat("n", 81)}, "--name:", 1},
		{"no name", []string{"lists", "add", "noname"}, "needs a SLUG and --name", 2},
		{"no slug", []string{"lists", "add", "--name", "X"}, "needs a SLUG and --name", 2},
		{"extra argument", []string{"lists", "add", "a", "b", "--name", "X"}, `unexpected "b"`, 2},
		{"unknown command", []string{"lists", "rename"}, `unknown lists command "rename"`, 2},
	} {
		_, err := in.candor("", nil, args(tc.argv...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || cli.ExitCode(err) != tc.exit {
			t.Errorf("%s: %v (exit %d); want %q, exit %d", tc.name, err, cli.ExitCode(err), tc.want, tc.exit)
		}
		if err != nil && strings.Contains(err.Error(), "UNIQUE") || err != nil && strings.Contains(err.Error(), "23505") {
			t.Errorf("%s: the error shows driver text: %v", tc.name, err)
		}
	}

	out, err = in.candor("", nil, args("lists", "list")...)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 4 {
		t.Errorf("lists list shows %d lines; want a header and 3 lists:\n%s", len(lines), out)
	}
	for _, w := range []string{"northwind-pro", "Northwind Pro & Teams", "Releases of Pro", "beta"} {
		if !strings.Contains(out, w) {
			t.Errorf("lists list lacks %q:\n%s", w, out)
		}
	}

	// The running server offers the list on its form and takes sign-ups to it.
	s := in.serve()
	b := s.browser()
	r := b.get("/subscribe")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, `value="northwind-pro"`) {
		t.Errorf("the subscribe page does not offer the new list")
	}
	in.canary("lists-e2e@example.com")
	r = b.post("/subscribe", url.Values{"email": {"lists-e2e@example.com"}, "list": {"northwind-pro", "nope"}, "consent": {"1"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "There is no such list") {
		t.Errorf("a sign-up naming an unknown list: %d\n%.1000s", r.StatusCode, r.body)
	}
	s.stop()

	out, err = in.candor("", nil, args("audit", "verify")...)
	if err != nil || !strings.Contains(out, "audit log intact") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
	db := in.openDB(t)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM audit_log WHERE actor = 'cli' AND action = 'list.create'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d list.create entries by the command line; want 2", n)
	}
}
