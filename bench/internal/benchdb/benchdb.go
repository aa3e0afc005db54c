// Package benchdb opens the database a benchmark in bench/ seeds and measures, the
// same way for every one of them.
package benchdb

import (
	"context"
	"fmt"

	"github.com/candor-dev/candor/internal/sqldb"
)

// Open opens the database at dsn (sqlite:… or postgres://…) and applies every
// migration, as `candor serve` does when it starts. On an error the database is
// closed again and the error says which step failed.
func Open(ctx context.Context, dsn string) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open the benchmark's database: %w", err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate the benchmark's database: %w", err)
	}
	return db, nil
}
