package sqldb_test

import (
	"context"
	"testing"

	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// Promise: every stored field is declared in one place, with its purpose, retention,
// who may see it and how it is erased (issue 10, section 1). The schema after every
// migration, read from the database itself (SQLite or PostgreSQL with
// CANDOR_TEST_POSTGRES), and the inventory in internal/privacy list the same columns.
func TestEveryColumnIsInTheInventory(t *testing.T) {
	db := dbtest.Open(t)
	cols, err := db.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) < 50 {
		t.Fatalf("the schema lists only %d columns: the introspection is broken", len(cols))
	}
	declared := map[sqldb.Column]bool{}
	for _, f := range privacy.Inventory() {
		declared[sqldb.Column{Table: f.Table, Name: f.Column}] = true
	}
	inSchema := map[sqldb.Column]bool{}
	for _, c := range cols {
		inSchema[c] = true
		if !declared[c] {
			t.Errorf("%s.%s (%s) is stored but not declared in internal/privacy's inventory: declare what it holds, its purpose, retention, who sees it and how it is erased", c.Table, c.Name, db.Dialect)
		}
	}
	for c := range declared {
		if !inSchema[c] {
			t.Errorf("internal/privacy declares %s.%s, which the schema (%s) no longer has", c.Table, c.Name, db.Dialect)
		}
	}
}
