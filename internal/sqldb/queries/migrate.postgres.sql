-- Migrations take an advisory lock on PostgreSQL, so instances started at once apply
-- each migration once; on SQLite the single writer serialises them.
-- name: lock-migrations
SELECT pg_advisory_xact_lock(7305);
