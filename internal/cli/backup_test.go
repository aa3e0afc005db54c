package cli

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// seededInstall makes a data directory (and database: dsn, or the data directory's
// SQLite file when "") with data from real flows: the demo (staff, statistics,
// catalogue), a newsletter sign-up and a contact message carrying canaries.
func seededInstall(t *testing.T, dsn string, canaries ...string) string {
	t.Helper()
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	env := Env{Getenv: func(string) string { return "" }, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	inv := (&invocation{cmd: command{name: "test"}, env: env}).withArgs(append([]string{"--data-dir", data, "--demo"}, dbArgs(dsn)...))
	if err := inv.parse(); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(ctx, inv, appNeeds{migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := seedDemo(ctx, a, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := a.newsletter.Subscribe(ctx, newsletter.SubscribeInput{Email: canaries[0], Name: canaries[1], ConsentVersion: "v1", Source: "footer"}); err != nil {
		t.Fatal(err)
	}
	v, err := a.contact.Validate(contact.Submission{Name: canaries[1], Email: canaries[0], Subject: "Hello", Message: "Please call me: " + canaries[2]})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.contact.Receive(ctx, v, contact.New, 0, nil); err != nil {
		t.Fatal(err)
	}
	return data
}

// dbArgs is the --db flag for dsn ("": the data directory's SQLite file).
func dbArgs(dsn string) []string {
	if dsn == "" {
		return nil
	}
	return []string{"--db", dsn}
}

// tableSums is every table's row count and a checksum of its rows (order-independent),
// read with plain SQL apart from Candor's own code: the SQLite file at path, or the
// PostgreSQL database dsn when path is "".
func tableSums(t *testing.T, path, dsn string) map[string]string {
	t.Helper()
	driver, source, list := "sqlite", "file:"+path+"?mode=ro", "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
	if path == "" {
		driver, source, list = "pgx", dsn, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		rs, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		var sums []string
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			sums = append(sums, fmt.Sprintf("%x", sha256.Sum256(fmt.Appendf(nil, "%#v", vals))))
		}
		rs.Close()
		slices.Sort(sums)
		out[table] = fmt.Sprintf("%d rows, %x", len(sums), sha256.Sum256([]byte(strings.Join(sums, ""))))
	}
	return out
}

// Promise (issue 11, backups that stay sealed): a backup restores into a fresh place
// with every table's rows equal, and the backup file holds no personal data in clear
// and no key material; the audit checkpoint travels with it (issue 12). On the dialect
// under test: SQLite, or PostgreSQL with CANDOR_TEST_POSTGRES (sqldb.RowsFormat).
func TestBackupRestoreDrill(t *testing.T) {
	canaries := []string{"canary.backup@example.org", "Zebulon Backupcanary", "+44 20 7946 0999"}
	var dsn, restoredDSN string
	if os.Getenv(dbtest.PostgresEnv) != "" {
		dsn, restoredDSN = dbtest.DSN(t), dbtest.DSN(t)
	}
	data := seededInstall(t, dsn, canaries...)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	idFile := filepath.Join(dir, "vendor.agekey")
	if err := os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "candor.backup.age")
	if _, err := runCandor(t, "", append([]string{"backup", "--to", file, "--include-keys", "--data-dir", data, "--backup-recipient", id.Recipient().String()}, dbArgs(dsn)...)...); err != nil {
		t.Fatal(err)
	}
	keys, err := os.ReadFile(filepath.Join(data, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := slices.Clone(canaries)
	for _, line := range strings.Split(string(keys), "\n") {
		if f := strings.Fields(line); len(f) > 1 && !strings.HasPrefix(line, "#") {
			secrets = append(secrets, f[len(f)-1])
		}
	}
	canary.AssertAbsent(t, "a backup holds no personal data in clear and no key material", []string{file}, secrets...)
	if _, err := runCandor(t, "", append([]string{"backup", "--to", file, "--data-dir", data, "--backup-recipient", id.Recipient().String()}, dbArgs(dsn)...)...); err == nil {
		t.Fatal("backup overwrote an existing file")
	}

	restored := filepath.Join(dir, "restored")
	restore := append([]string{"restore", "--from", file, "--identity", idFile, "--data-dir", restored}, dbArgs(restoredDSN)...)
	out, err := runCandor(t, "", restore...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "integrity ok, audit log intact") {
		t.Fatalf("restore said %q", out)
	}
	from, to := filepath.Join(data, "candor.db"), filepath.Join(restored, "candor.db")
	if dsn != "" {
		from, to = "", ""
	}
	want, got := tableSums(t, from, dsn), tableSums(t, to, restoredDSN)
	if len(want) < 10 || !maps.Equal(want, got) {
		t.Fatalf("restored tables differ:\nwant %v\ngot  %v", want, got)
	}
	cp, err := os.ReadFile(filepath.Join(data, "audit.checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	if back, err := os.ReadFile(filepath.Join(restored, "audit.checkpoint")); err != nil || string(back) != string(cp) {
		t.Fatalf("the audit checkpoint was not restored: %q, %v", back, err)
	}
	if _, err := runCandor(t, "", restore...); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore into a used data directory: %v", err)
	}
	if dsn != "" { // the rows format restores across dialects: every table's count and checksum compared
		if out, err := runCandor(t, "", "restore", "--from", file, "--identity", idFile, "--data-dir", filepath.Join(dir, "sqlite")); err != nil || !strings.Contains(out, "audit log intact") {
			t.Fatalf("a PostgreSQL backup into SQLite: %q, %v", out, err)
		}
	}
}
