package sqldb

import "context"

// Compact makes erased data leave the database files, as far as the dialect allows:
// on SQLite a TRUNCATE checkpoint copies the WAL into the main file and empties the
// WAL (freed pages are overwritten only with secure_delete); on PostgreSQL it does
// nothing (docs/privacy-requests.md says what VACUUM does and does not guarantee).
func (s SubjectStore) Compact(ctx context.Context) error { return s.DB.checkpoint(ctx) }

// checkpoint runs a TRUNCATE WAL checkpoint on SQLite.
func (db *DB) checkpoint(ctx context.Context) error {
	if db.Dialect != SQLite {
		return nil
	}
	_, err := db.Exec(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
