// Package sqldb is Candor's one storage adapter, for both SQLite (the embedded default)
// and PostgreSQL (for several instances behind a load balancer).
//
// Invariants:
//   - SQL is shared by both dialects. Queries are written with "?" placeholders and
//     rebound for PostgreSQL in one place (Rebind); migrations may use the {{ID}} and
//     {{BYTES}} macros, and a file named NAME.postgres.sql or NAME.sqlite.sql replaces
//     NAME.sql for that dialect only. All dialect branching lives in dialect.go.
//   - Every query lives in queries/STORE.sql as a named block ("-- name: x", as in
//     listmonk's queries/*.sql and goatcounter's db/query/), embedded and parsed once at
//     start-up; code reads it with query("x"), or tx.Dialect().query("x") when its text
//     differs by dialect: the {{FOR_UPDATE}} and {{SKIP_LOCKED}} macros (expanded per
//     dialect at load, as migrations' macros are), or a block in STORE.postgres.sql /
//     STORE.sqlite.sql that replaces the shared one or exists on that dialect alone.
//     Named .sql files rather than Go constants per store, because then the whole query
//     set reads, greps and EXPLAINs as SQL in one place, with overrides only where the
//     dialects must differ (ARCHITECTURE.md); the text handed to Exec/Query is still a
//     plain string, so Rebind and the statement cache (stmtcache.go, keyed by text)
//     work unchanged. Tests check that every name is used and exists, and that every
//     query prepares on the dialect under test (run the suite on both).
//   - Dynamic parts are SQL comments in the query, so the text as written is complete
//     SQL: /*where*/ and /*and*/ take a filter's conditions, /*order*/ whitelisted sort
//     terms, and ?/*NAME*/ or (…)/*NAME*/ a list repeated n times (fill.go). Fragments
//     come only from code; values only ever travel as bound arguments.
//   - SQLite's maintenance statements (PRAGMAs, VACUUM INTO with the path bound) and
//     the schema introspection are named queries too, in dialect files
//     (backup.sqlite.sql, schema_columns.*.sql) read with SQLite.query or
//     Dialect.query. The only statements outside queries/ are the two of resealing
//     (sealed.go, resealBatch: the SELECT of the sealed values and the UPDATE of one),
//     which must name the table, key and column of an entry of SealedColumns, a list
//     in code, and the privacy checks' reading of one column's values (promises.go,
//     columnValuesSQL), which names a table and column only once they are found in
//     the schema's own listing (the schema-columns query, DB.Columns).
//     Conditions given to filter.add and the connection's _pragma options (db.go) are
//     fragments and settings, not statements.
//   - Times are stored as BIGINT Unix milliseconds in UTC (columns named *_at), so the
//     two dialects store and compare them identically.
//   - SQLite runs in WAL mode with one writer connection (transactions take the write
//     lock at BEGIN) and a separate read-only pool; synchronous=FULL, so an acknowledged
//     write survives power loss.
//   - Driver errors never leave this package untranslated: callers see *errs.Error codes
//     (not_found, conflict, unavailable, internal), decided by error type, never by text.
package sqldb
