package sqldb_test

import (
	"context"
	"testing"

	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// Every named query of queries/*.sql parses and prepares against the migrated schema of
// the dialect under test (SQLite, or PostgreSQL with CANDOR_TEST_POSTGRES), as written:
// its markers are SQL comments, so the text is complete SQL that can be EXPLAINed too.
func TestNamedQueriesPrepare(t *testing.T) {
	db := dbtest.Open(t)
	prepared, failed := sqldb.PrepareNamedQueries(context.Background(), db)
	for name, err := range failed {
		t.Errorf("%s query %s: %v", db.Dialect, name, err)
	}
	if prepared < 100 {
		t.Errorf("prepared %d %s queries; the query files hold more", prepared, db.Dialect)
	}
}
