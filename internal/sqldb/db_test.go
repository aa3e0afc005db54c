package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

func TestMigrateFromEmpty(t *testing.T) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dbtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pending, err := db.Pending(ctx)
	if err != nil || pending == 0 {
		t.Fatalf("pending on an empty database = %d, %v; want > 0", pending, err)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != pending {
		t.Fatalf("applied %d migrations, want %d", len(applied), pending)
	}
	if again, err := db.Migrate(ctx); err != nil || len(again) != 0 {
		t.Fatalf("second Migrate applied %d, %v; want 0, nil", len(again), err)
	}
	if n, _ := db.Pending(ctx); n != 0 {
		t.Fatalf("pending after Migrate = %d", n)
	}
}

func TestErrorsAreTranslatedByType(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	insert := func(name string) error {
		_, err := db.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, ?)", name, "v")
		return err
	}
	if err := insert("a"); err != nil {
		t.Fatal(err)
	}
	if err := insert("a"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("duplicate key: got %v, want conflict", err)
	}
	var v string
	err := db.QueryRow(ctx, "SELECT value FROM settings WHERE name = ?", "missing").Scan(&v)
	if !errs.Is(err, errs.NotFound) {
		t.Fatalf("no row: got %v, want not_found", err)
	}
	_, err = db.Exec(ctx, "INSERT INTO staff (email_index, email_sealed, role, password_hash, created_at, password_changed_at) VALUES ('i','s','king','h',0,0)")
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("check violation: got %v, want invalid", err)
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	boom := errs.E(errs.Invalid, "boom")
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, ?)", "x", "1"); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("InTx returned %v, want the function's error", err)
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil || n != 0 {
		t.Fatalf("after rollback: %d rows, %v", n, err)
	}
}

func TestRebind(t *testing.T) {
	got := sqldb.Postgres.Rebind("SELECT ? , '?' FROM t WHERE a = ? AND b = ?")
	want := "SELECT $1 , '?' FROM t WHERE a = $2 AND b = $3"
	if got != want {
		t.Fatalf("Rebind = %q, want %q", got, want)
	}
	if got := sqldb.SQLite.Rebind("a = ?"); got != "a = ?" {
		t.Fatalf("SQLite Rebind changed the query: %q", got)
	}
}

func TestParseDSN(t *testing.T) {
	for _, bad := range []string{"", "mysql://x", "sqlite:", "sqlite:x.db?mode=memory"} {
		if _, _, err := sqldb.ParseDSN(bad); err == nil {
			t.Errorf("ParseDSN(%q) accepted", bad)
		}
	}
	if d, _, err := sqldb.ParseDSN("postgres://u:secret@h/db"); err != nil || d != sqldb.Postgres {
		t.Errorf("postgres DSN: %v %v", d, err)
	}
}

// On PostgreSQL, start-up warns when acknowledged writes could be lost.
func TestWarningsNameUnsafeDurability(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.DSN(t)
	if !strings.HasPrefix(dsn, "postgres") {
		t.Skip("PostgreSQL only: SQLite's durability is Candor's own pragma")
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if w, err := db.Warnings(ctx); err != nil || len(w) != 0 {
		t.Fatalf("a safe server: warnings %v, %v", w, err)
	}
	var name string
	if err := db.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	fresh, err := sqldb.Open(ctx, dsn) // new connections take the database's setting
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	w, err := fresh.Warnings(ctx)
	if err != nil || len(w) != 1 || !strings.Contains(w[0], "synchronous_commit=off") {
		t.Fatalf("synchronous_commit off: warnings %v, %v", w, err)
	}
}
