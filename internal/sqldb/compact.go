package sqldb

import (
	"context"
	"errors"

	"github.com/candor-dev/candor/internal/errs"
)

// Compact makes erased rows leave the database file after an erasure or a retention
// run. On SQLite every connection runs with secure_delete, so freed pages are already
// overwritten with zeros in the main file; Compact checkpoints the write-ahead log into
// it and truncates the log to zero bytes, so the old page images in the WAL are gone
// too. On PostgreSQL it does nothing: deleted tuples stay in the table's pages until
// (auto)VACUUM reclaims them and are only overwritten when the space is reused (see
// docs/operations.md).
func (db *DB) Compact(ctx context.Context) error {
	if db.Dialect != SQLite {
		return nil
	}
	var busy, logFrames, checkpointed int
	if err := db.write.QueryRowContext(ctx, SQLite.query("wal-checkpoint")).Scan(&busy, &logFrames, &checkpointed); err != nil {
		return translate(err)
	}
	if busy != 0 {
		return errs.Wrap(errs.Unavailable, "the write-ahead log could not be truncated (a reader was busy); the next run retries", errors.New("wal_checkpoint busy"))
	}
	return nil
}
