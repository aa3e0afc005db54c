package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// Group commit: each operation's error is its own; a failed operation leaves nothing,
// the others commit, whatever batch they shared.
func TestBatchIsolatesOperations(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Batch(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, 'v')", fmt.Sprint("k", i)); err != nil {
					return err
				}
				switch i % 10 {
				case 3:
					return boom
				case 7:
					panic("op panicked")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		switch i % 10 {
		case 3:
			if err != boom {
				t.Errorf("op %d: %v; want its own error", i, err)
			}
		case 7:
			if err == nil {
				t.Errorf("op %d panicked but returned nil", i)
			}
		default:
			if err != nil {
				t.Errorf("op %d: %v", i, err)
			}
		}
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil || n != 160 {
		t.Fatalf("%d rows committed, %v; want 160", n, err)
	}
}
