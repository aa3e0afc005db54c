// Package sqldb is Candor's one storage adapter, for both SQLite (the embedded default)
// and PostgreSQL (for several instances behind a load balancer).
//
// Invariants:
//   - SQL is shared by both dialects. Queries are written with "?" placeholders and
//     rebound for PostgreSQL in one place (Rebind); migrations may use the {{ID}} and
//     {{BYTES}} macros, and a file named NAME.postgres.sql or NAME.sqlite.sql replaces
//     NAME.sql for that dialect only. All dialect branching lives in dialect.go.
//   - Times are stored as BIGINT Unix milliseconds in UTC (columns named *_at), so the
//     two dialects store and compare them identically.
//   - SQLite runs in WAL mode with one writer connection (transactions take the write
//     lock at BEGIN) and a separate read-only pool; synchronous=FULL, so an acknowledged
//     write survives power loss.
//   - Driver errors never leave this package untranslated: callers see *errs.Error codes
//     (not_found, conflict, unavailable, internal), decided by error type, never by text.
package sqldb
