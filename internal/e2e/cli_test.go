package e2e

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx", to tamper with the audit log on PostgreSQL
	_ "modernc.org/sqlite"             // "sqlite", to tamper with the audit log file
)

// Promise: staff accounts can be managed from the server's own command line, with the
// password piped in (never on the command line, never echoed or logged); and the audit
// log is tamper-evident: `candor audit verify` names the entry that was changed.
func TestStaffAndAuditCommands(t *testing.T) {
	in := newInstall(t)
	args := func(a ...string) []string { return append(a, in.args()...) }

	if _, err := in.candor("", nil, args("staff", "list")...); err == nil || !strings.Contains(err.Error(), "candor migrate") {
		t.Fatalf("staff list before migrate: %v; want an error saying to run candor migrate", err)
	}
	if out, err := in.candor("", nil, args("migrate")...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	const pw = "piped-in-password-123"
	in.canary(pw, "x@example.com", "y@example.com")
	out, err := in.candor(pw+"\n", nil, args("staff", "add", "--email", "x@example.com", "--role", "support")...)
	if err != nil || !strings.Contains(out, "role support") {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	if strings.Contains(out, pw) {
		t.Fatalf("staff add printed the password:\n%s", out)
	}
	if _, err := in.candor(pw+"\n", nil, args("staff", "add", "--email", "x@example.com", "--role", "support")...); err == nil {
		t.Fatal("adding the same email twice succeeded")
	}
	if _, err := in.candor("short\n", nil, args("staff", "add", "--email", "y@example.com", "--role", "analyst")...); err == nil {
		t.Fatal("staff add accepted a 5-character password")
	}
	if _, err := in.candor(pw+"\n", nil, args("staff", "add", "--email", "y@example.com", "--role", "emperor")...); err == nil || !strings.Contains(err.Error(), "--role") {
		t.Fatalf("staff add --role emperor: %v; want an error naming --role", err)
	}
	if out, err := in.candor(pw+"\n", nil, args("staff", "add", "--email", "y@example.com", "--role", "analyst")...); err != nil {
		t.Fatalf("staff add y: %v\n%s", err, out)
	}
	if out, err := in.candor("", nil, args("staff", "disable", "--email", "y@example.com")...); err != nil {
		t.Fatalf("staff disable: %v\n%s", err, out)
	}
	out, err = in.candor("", nil, args("staff", "list")...)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"x@example.com", "support", "y@example.com", "disabled"} {
		if !strings.Contains(out, w) {
			t.Errorf("staff list lacks %q:\n%s", w, out)
		}
	}

	out, err = in.candor("", nil, args("audit", "verify")...)
	if err != nil || !strings.Contains(out, "audit log intact") {
		t.Fatalf("audit verify on an untouched log: %v\n%s", err, out)
	}

	// Someone with database access rewrites history: entry 2 now blames someone else.
	db := in.openDB(t)
	var seq int64
	if err := db.QueryRow("SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 1").Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_log SET actor = 'staff:999' WHERE seq = " + itoa(seq)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = in.candor("", nil, args("audit", "verify")...)
	if err == nil || !strings.Contains(err.Error(), "entry "+itoa(seq)+":") {
		t.Fatalf("audit verify after tampering with entry %d: %v; want an error naming it", seq, err)
	}
}

// openDB opens the installation's database directly, as an intruder with file or
// database access would.
func (in *install) openDB(t *testing.T) *sql.DB {
	t.Helper()
	driver, source := "sqlite", filepath.Join(in.dir, "candor.db")
	if in.dsn != "" {
		driver, source = "pgx", in.dsn
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Promise: configuration mistakes name the setting to fix, and secrets in the
// configuration are never printed.
func TestConfigCommand(t *testing.T) {
	in := newInstall(t)
	out, err := in.candor("", environ(
		"CANDOR_DB", "postgres://u:pa55-canary@h/db",
		"CANDOR_KEYS", "canary-key-material",
		"CANDOR_DATA_DIR", in.dir,
	), "config")
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"pa55-canary", "canary-key-material"} {
		if strings.Contains(out, leak) {
			t.Errorf("candor config shows %q:\n%s", leak, out)
		}
	}
	for _, w := range []string{"--db", "CANDOR_DB", "postgres://u:", "@h/db", "--keys"} {
		if !strings.Contains(out, w) {
			t.Errorf("candor config lacks %q:\n%s", w, out)
		}
	}

	for _, tc := range []struct{ env, value, setting string }{
		{"CANDOR_SESSION_IDLE", "banana", "--session-idle"},
		{"CANDOR_ADDR", "nowhere", "--addr"},
		{"CANDOR_MAX_BODY", "-1", "--max-body"},
		{"CANDOR_DB", "mysql://u:secret@h/db", "--db"},
	} {
		_, err := in.candor("", environ(tc.env, tc.value), "config")
		if err == nil || !strings.Contains(err.Error(), tc.setting) {
			t.Errorf("%s=%s: %v; want an error naming %s", tc.env, tc.value, err, tc.setting)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s=%s: the error shows the secret: %v", tc.env, tc.value, err)
		}
	}
	// The flag also names itself when it is the one at fault.
	if _, err := in.candor("", nil, "config", "--session-idle", "banana"); err == nil || !strings.Contains(err.Error(), "--session-idle") {
		t.Errorf("--session-idle banana: %v", err)
	}
}
