package e2e

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/promises"
)

// auditInstall is a migrated installation with one owner (so the audit log has entries
// and a sealed column has values); it returns the owner's email.
func auditInstall(t *testing.T) *install {
	t.Helper()
	in := newInstall(t)
	if out, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	const pw = "audit-owner-password-123"
	in.canary(pw)
	if out, err := in.candor(pw+"\n", nil, append([]string{"staff", "add", "--email", "owner@audit.example", "--role", "owner"}, in.args()...)...); err != nil {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	return in
}

// privacyReport runs `candor audit privacy --json` and decodes its report.
func (in *install) privacyReport(t *testing.T, env func(string) string, args ...string) (promises.Report, error) {
	t.Helper()
	out, err := in.candor("", env, append(append([]string{"audit", "privacy", "--json"}, in.args()...), args...)...)
	var rep promises.Report
	if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
		t.Fatalf("audit privacy --json printed no report (%v, exit error %v):\n%s", jerr, err, out)
	}
	return rep, err
}

func exec(t *testing.T, db *sql.DB, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Promise: `candor audit privacy` turns red, and exits 1, for each kind of broken
// promise planted in an otherwise clean installation, naming the check; and it never
// prints what it found (the planted card number, address or text).
func TestAuditPrivacyFindsEachPlantedFinding(t *testing.T) {
	const card, spaced = "4111111111111111", "5555 5555 5555 4444"
	cells := analytics.PackCells([]analytics.Aggregate{{Dim: "page", Value: "/from/203.0.113.9"}, {Dim: "page", Value: "/pricing"}})
	cases := []struct {
		name, check string
		plant       func(t *testing.T, in *install, db *sql.DB) (env func(string) string, args []string)
	}{
		{"keys in the data dir on a public address", "keys-apart", func(*testing.T, *install, *sql.DB) (func(string) string, []string) {
			return nil, []string{"--addr", "0.0.0.0:8080"}
		}},
		{"TLS off on a public address", "tls-public", func(t *testing.T, in *install, _ *sql.DB) (func(string) string, []string) {
			keys, err := os.ReadFile(filepath.Join(in.dir, "keys"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(filepath.Join(in.dir, "keys")); err != nil {
				t.Fatal(err)
			}
			in.canary(strings.TrimSpace(string(keys)))
			return environ("CANDOR_KEYS", string(keys)), []string{"--addr", "0.0.0.0:8080"}
		}},
		{"an overdue row", "retention", func(t *testing.T, _ *install, db *sql.DB) (func(string) string, []string) {
			exec(t, db, "INSERT INTO shop_payment_events (event_id, type, received_at) VALUES ('evt_audit', 'charge.succeeded', 1000)")
			return nil, nil
		}},
		{"a card number in a file of the data dir", "card-numbers", func(t *testing.T, in *install, _ *sql.DB) (func(string) string, []string) {
			if err := os.WriteFile(filepath.Join(in.dir, "debug.log"), []byte("time=x msg=\"pay\" card=\""+spaced+"\"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return nil, nil
		}},
		{"a card number in the database", "card-numbers", func(t *testing.T, _ *install, db *sql.DB) (func(string) string, []string) {
			exec(t, db, "INSERT INTO settings (name, value) VALUES ('note', 'card "+card+" kept')")
			return nil, nil
		}},
		{"a raw IP in a statistics table", "stats-no-ip", func(t *testing.T, in *install, db *sql.DB) (func(string) string, []string) {
			exec(t, db, "INSERT INTO sites (name, domain, created_at) VALUES ('audit', 'audit.example', 0)")
			if _, err := db.Exec(in.rebind("INSERT INTO stat_cells (site_id, span, day, dim, cells) SELECT id, 1, 0, 'page', ? FROM sites WHERE name = 'audit'"), cells); err != nil {
				t.Fatal(err)
			}
			return nil, nil
		}},
		{"an unsealed value in a sealed column", "sealed", func(t *testing.T, _ *install, db *sql.DB) (func(string) string, []string) {
			exec(t, db, "UPDATE staff SET display_name_sealed = 'Plain Owner Name'")
			return nil, nil
		}},
		{"a tampered audit entry", "audit-chain", func(t *testing.T, _ *install, db *sql.DB) (func(string) string, []string) {
			exec(t, db, "UPDATE audit_log SET actor = 'staff:999' WHERE seq = 1")
			return nil, nil
		}},
		{"an old queued mail", "outbox", func(t *testing.T, _ *install, db *sql.DB) (func(string) string, []string) {
			exec(t, db, `INSERT INTO mail_outbox (purpose, message_id, status, next_attempt_at, created_at)
				VALUES ('test', '<audit@candor.invalid>', 'queued', 1000, 1000)`)
			return nil, nil
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := auditInstall(t)
			in.canary(card, spaced, "203.0.113.9", "Plain Owner Name")
			if rep, err := in.privacyReport(t, nil); err != nil || len(rep.Red()) > 0 {
				t.Fatalf("before planting: %v, red %+v", err, rep.Red())
			}
			db := in.openDB(t)
			env, args := c.plant(t, in, db)
			db.Close()
			rep, err := in.privacyReport(t, env, args...)
			if err == nil {
				t.Fatalf("audit privacy passed with %s planted", c.name)
			}
			var red []string
			for _, r := range rep.Red() {
				red = append(red, r.ID)
				if r.Status != promises.StatusFinding {
					t.Errorf("%s: %s %s", r.ID, r.Status, r.Message)
				}
				for _, text := range append([]string{r.Message}, r.Details...) {
					for _, leak := range []string{card, spaced, "203.0.113.9", "Plain Owner Name"} {
						if strings.Contains(text, leak) {
							t.Errorf("%s printed what it found: %q", r.ID, text)
						}
					}
				}
			}
			if !strings.Contains(","+strings.Join(red, ",")+",", ","+c.check+",") {
				t.Fatalf("red checks %v; want %s among them", red, c.check)
			}
		})
	}
}

// Promise: "will not be shared with our partners or third parties": the egress check
// lists the outbound destinations internal/egress allows for the configuration (the
// mail relay, the card processor, the --egress-proxy), by host only, never the
// credentials in their URLs; with none configured it says Candor connects nowhere. (A
// destination outside the allowlist cannot be configured: config refuses a plain-http
// processor off loopback, and egress ignores the proxy variables of the environment,
// which therefore do not appear.)
func TestAuditPrivacyListsEgressDestinations(t *testing.T) {
	in := auditInstall(t)
	egressOf := func(env func(string) string, args ...string) string {
		t.Helper()
		rep, err := in.privacyReport(t, env, args...)
		if err != nil {
			t.Fatalf("audit privacy with %v: %v, red %+v", args, err, rep.Red())
		}
		for _, r := range rep.Results {
			if r.ID == "egress" {
				if r.Status != promises.StatusOK {
					t.Errorf("egress: %s %s", r.Status, r.Message)
				}
				return r.Message
			}
		}
		t.Fatal("the report has no egress check")
		return ""
	}
	if msg := egressOf(nil); msg != "0 destinations allowed: Candor connects nowhere" {
		t.Errorf("egress with nothing configured: %q", msg)
	}
	const relayPW, proxyPW = "relay-secret-pw-7731", "proxy-secret-pw-2208"
	in.canary(relayPW, proxyPW)
	msg := egressOf(environ("HTTPS_PROXY", "http://env-proxy.audit.example:3128", "ALL_PROXY", "http://env-proxy.audit.example:3128"),
		"--smtp", "smtp://audit:"+relayPW+"@relay.audit.example:2525",
		"--egress-proxy", "http://audit:"+proxyPW+"@proxy.audit.example:3128",
		"--payment", "hosted", "--stripe-key", "sk_test_audit", "--stripe-webhook-secret", "whsec_audit")
	for _, want := range []string{"3 destinations allowed", "mail relay relay.audit.example:2525", "card processor API api.stripe.com:443",
		"proxy (--egress-proxy) proxy.audit.example:3128"} {
		if !strings.Contains(msg, want) {
			t.Errorf("egress %q lacks %q", msg, want)
		}
	}
	for _, leak := range []string{relayPW, proxyPW, "env-proxy"} {
		if strings.Contains(msg, leak) {
			t.Errorf("egress %q names %q", msg, leak)
		}
	}
}

// rebind turns the one ? of q into $1 on PostgreSQL.
func (in *install) rebind(q string) string {
	if in.dsn != "" {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}

// waitCount polls query until it counts at least n (the background job of a running
// server has done its work), failing after 30 s.
func (in *install) waitCount(t *testing.T, query string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for in.count(t, query) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed below %d", query, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Promise: on a clean demo every check of `candor audit privacy` is green; `candor
// serve` runs the checks itself, keeps each result for the Promises page, and mails
// the owners a link (no detail) when a check turns red.
func TestAuditPrivacyGreenOnDemoAndDailyRunInServe(t *testing.T) {
	in := newInstall(t)
	s := in.serve("--demo")
	in.waitCount(t, "SELECT COUNT(*) FROM privacy_checks", len(promises.Checks()))
	s.stop()
	if n := in.count(t, "SELECT COUNT(*) FROM privacy_checks WHERE status <> 'ok'"); n != 0 {
		t.Errorf("the daily run in serve stored %d red results on a clean demo", n)
	}
	rep, err := in.privacyReport(t, nil, "--demo")
	if err != nil || len(rep.Red()) > 0 || len(rep.Results) != len(promises.Checks()) {
		t.Fatalf("audit privacy on a clean demo: %v, red %+v", err, rep.Red())
	}
	out, err := in.candor("", nil, append([]string{"audit", "privacy", "--demo"}, in.args()...)...)
	if err != nil || !strings.Contains(out, "CHECK") || !strings.Contains(out, fmt.Sprintf("%d ok, 0 findings, 0 errors", len(promises.Checks()))) {
		t.Fatalf("audit privacy's table: %v\n%s", err, out)
	}

	db := in.openDB(t)
	exec(t, db, "UPDATE audit_log SET actor = 'staff:999' WHERE seq = 1")
	db.Close()
	s = in.serve("--demo")
	in.waitCount(t, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'promises.red'", 1)
	s.stop()
	if n := in.count(t, "SELECT COUNT(*) FROM privacy_checks WHERE check_id = 'audit-chain' AND status = 'finding'"); n != 1 {
		t.Error("the daily run did not store the audit chain's finding")
	}
	if n := in.count(t, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'promises.red'"); n != 1 {
		t.Errorf("%d mails to the owners; want 1 for the one owner", n)
	}
}
