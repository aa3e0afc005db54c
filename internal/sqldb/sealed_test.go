package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// Every *_sealed column of a table that holds sealed data is in SealedColumns, so a
// key rotation re-seals it (a migration adding one and forgetting the list fails here).
func TestSealedColumnsListEverySealedColumn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	listed := map[string]bool{}
	tables := map[string]bool{}
	for _, c := range sqldb.SealedColumns {
		listed[c.Table+"."+c.Column] = true
		tables[c.Table] = true
	}
	if !listed["staff.display_name_sealed"] {
		t.Error("staff.display_name_sealed is not in SealedColumns")
	}
	for table := range tables {
		rows, err := db.Query(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		rows.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range cols {
			if strings.HasSuffix(col, "_sealed") && !listed[table+"."+col] {
				t.Errorf("%s.%s is sealed but not in SealedColumns: a key rotation would skip it", table, col)
			}
		}
	}
}

// Promise: personal data stays sealed through a key rotation — Reseal moves a staff
// member's email and display name to the newest key, each still opening under its
// own context, and leaves an unset display name empty.
func TestResealStaffDisplayName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	s1 := pii.NewSealer(kr)
	seal := func(context, v string) string {
		out, err := s1.SealString(context, v)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	store := sqldb.StaffStore{DB: db}
	named := newMember(1, staff.Support)
	named.EmailSealed = seal(staff.SealEmail, "named@example.com")
	named.DisplayNameSealed = seal(staff.SealName, "Canary Display")
	named = create(t, store, named)
	unnamed := newMember(2, staff.Support)
	unnamed.EmailSealed = seal(staff.SealEmail, "unnamed@example.com")
	unnamed = create(t, store, unnamed)

	if _, err := kr.AddSealKey(); err != nil {
		t.Fatal(err)
	}
	s2 := pii.NewSealer(kr)
	n, err := db.Reseal(ctx, s2)
	if err != nil || n != 3 {
		t.Fatalf("Reseal = %d, %v; want 3 (two emails, one name)", n, err)
	}
	got, err := store.MemberByID(ctx, named.ID)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := pii.KeyIDOf(got.DisplayNameSealed); id != 2 {
		t.Errorf("display name under key %d after rotation; want 2", id)
	}
	if name, err := s2.OpenString(staff.SealName, got.DisplayNameSealed); err != nil || name != "Canary Display" {
		t.Errorf("resealed display name opens to %q, %v", name, err)
	}
	if got, err := store.MemberByID(ctx, unnamed.ID); err != nil || got.DisplayNameSealed != "" {
		t.Errorf("an unset display name after rotation: %q, %v; want empty", got.DisplayNameSealed, err)
	}
	if n, err := db.Reseal(ctx, s2); err != nil || n != 0 {
		t.Errorf("a second Reseal = %d, %v; want 0", n, err)
	}
}
