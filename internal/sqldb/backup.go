package sqldb

import (
	"context"
	"errors"
	"fmt"
)

// ErrNotSQLite is returned by the SQLite-only backup operations on PostgreSQL, which
// is copied table by table instead (ExportRows, docs/keys.md#backups).
var ErrNotSQLite = errors.New("VACUUM INTO copies only a SQLite database; PostgreSQL is copied with ExportRows (docs/keys.md#backups)")

// VacuumInto writes a consistent copy of the SQLite database into path, which must not
// exist, while the database keeps serving (VACUUM INTO reads one snapshot). It runs on
// a reader connection, so writers are not held up.
func (db *DB) VacuumInto(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return ErrNotSQLite
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return translate(err)
	}
	defer conn.Close()
	// query_only forbids VACUUM INTO as well; lift it on this connection alone.
	if _, err := conn.ExecContext(ctx, SQLite.query("lift-query-only")); err != nil {
		return translate(err)
	}
	defer conn.ExecContext(context.Background(), SQLite.query("restore-query-only")) //nolint:errcheck // the connection is discarded on error
	if _, err := conn.ExecContext(ctx, SQLite.query("vacuum-into"), path); err != nil {
		return fmt.Errorf("copying the database: %w", err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity and foreign-key checks (on PostgreSQL it only
// checks that the database answers) and returns the first problem found.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.Dialect != SQLite {
		return db.Ping(ctx)
	}
	var res string
	if err := db.read.QueryRowContext(ctx, SQLite.query("integrity-check")).Scan(&res); err != nil {
		return translate(err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	rows, err := db.read.QueryContext(ctx, SQLite.query("foreign-key-check"))
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	if rows.Next() {
		return errors.New("integrity check: a row refers to a missing row (PRAGMA foreign_key_check)")
	}
	return rows.Err()
}
