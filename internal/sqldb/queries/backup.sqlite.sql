-- SQLite's own maintenance: copying, checking and compacting the file (backup.go,
-- compact.go, db.go). PostgreSQL has none of these (pg_dump, VACUUM).

-- name: wal-mode
PRAGMA journal_mode=WAL;

-- VACUUM INTO takes the target path as a bound value. query_only forbids it, so it is
-- lifted on the one reader connection that copies.
-- name: lift-query-only
PRAGMA query_only=0;

-- name: restore-query-only
PRAGMA query_only=1;

-- name: vacuum-into
VACUUM INTO ?;

-- name: integrity-check
PRAGMA integrity_check;

-- name: foreign-key-check
PRAGMA foreign_key_check;

-- name: wal-checkpoint
PRAGMA wal_checkpoint(TRUNCATE);
