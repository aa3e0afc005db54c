package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/promises"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// checksOver is the Promises page's collaborator in these tests: the real daily run
// (every check, results kept in privacy_checks, owners mailed) over the env's
// database, audit log and data directory, on a loopback address with no outbound
// destination, as `candor serve` builds it over its configuration.
func checksOver(dataDir string, db *sqldb.DB, sealer *pii.Sealer, log *audit.Log) *promises.Daily {
	store := sqldb.PromiseStore{DB: db}
	return &promises.Daily{
		Inputs: func() promises.Inputs {
			return promises.Inputs{Files: []string{dataDir}, MailLimit: mail.DeadAfter, Data: store, Chain: log}
		},
		Ledger: store, Owners: store, Sealer: sealer, Audit: log,
		PublicURL: "http://127.0.0.1", MailDomain: "example.com",
	}
}

// Promise: "Your credit card number is not kept or recorded by … or our computers" —
// and when one is, the owners and admins see that promise turn red on the Promises
// page, with the file and the count, never the number. Other roles cannot open the
// page or run the checks.
func TestPromisesPage(t *testing.T) {
	e := newEnv(t)
	const card, grouped = "4539148803436467", "4539 1488 0343 6467"
	planted := filepath.Join(e.cfg.DataDir, "notes.txt")
	if err := os.WriteFile(planted, []byte("call back about order, card "+grouped+" exp 12/29\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	never := []string{card, grouped, "exp 12/29"}
	e.scenarios(t, []scenario{
		{Name: "before any run every check is grey", Role: staff.Owner, URL: "/admin/promises", Status: http.StatusOK,
			Contains:    []string{"Run the checks now", "Not checked yet", "Not run yet", "no check has run yet", "is not kept or recorded by"},
			NotContains: append([]string{"Not kept", `class="nav-alert"`}, never...)},
		{Name: "support may not run the checks", Role: staff.Support, URL: "/admin/promises/run", Form: url.Values{}, Status: http.StatusForbidden},
		{Name: "the owner runs them", Role: staff.Owner, URL: "/admin/promises/run", Form: url.Values{}, Status: http.StatusSeeOther,
			Location: "/admin/promises?done=checks-ran"},
	})
	red := scenario{Status: http.StatusOK, URL: "/admin/promises",
		Contains: []string{"The checks ran just now", "Not kept", `id="check-card-numbers"`, "notes.txt",
			"status since", `class="nav-alert"`, "Red when a Luhn-valid run"},
		NotContains: never}
	rows := []scenario{
		{Name: "anonymous is sent to sign in", URL: "/admin/promises", Status: http.StatusSeeOther,
			Location: "/admin/login?next=" + url.QueryEscape("/admin/promises")},
		{Name: "anonymous cannot run the checks", URL: "/admin/promises/run", Form: url.Values{}, Status: http.StatusUnauthorized},
	}
	for _, role := range []staff.Role{staff.Owner, staff.Admin} {
		sc := red
		sc.Name, sc.Role, sc.URL = "the planted card turns the page red for "+string(role), role, "/admin/promises?done=checks-ran"
		rows = append(rows, sc)
	}
	for _, role := range []staff.Role{staff.Support, staff.Marketing, staff.Analyst, staff.ShopRole} {
		rows = append(rows,
			scenario{Name: string(role) + " may not open the page", Role: role, URL: "/admin/promises", Status: http.StatusForbidden, NotContains: never},
			scenario{Name: string(role) + " may not run the checks", Role: role, URL: "/admin/promises/run", Form: url.Values{}, Status: http.StatusForbidden},
			scenario{Name: string(role) + " sees no Promises item nor its alert", Role: role, URL: "/admin/", Status: http.StatusOK,
				NotContains: []string{`href="/admin/promises"`, "nav-alert"}})
	}
	e.scenarios(t, rows)

	entries, err := e.srv.auditPages.audit.List(e.ctx, audit.Filter{Action: "promises.run"})
	if err != nil || len(entries) != 1 || !strings.HasPrefix(entries[0].Actor, "staff:") {
		t.Errorf("the run asked for on the page is not audited once with its member: %+v, %v", entries, err)
	}

	// The card gone, a run turns the promise green again and the alert goes.
	if err := os.Remove(planted); err != nil {
		t.Fatal(err)
	}
	owner := e.roleClient(staff.Owner)
	wantRedirect(t, owner.post("/admin/promises/run", url.Values{}), "/admin/promises?done=checks-ran")
	e.scenarios(t, []scenario{{Name: "green again", Role: staff.Owner, URL: "/admin/promises", Status: http.StatusOK,
		Contains: []string{"no card number in"}, NotContains: []string{"Not kept", "nav-alert", "Not checked yet"}}})
}
