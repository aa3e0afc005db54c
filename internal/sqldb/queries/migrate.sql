-- name: create-schema-migrations
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL
);

-- name: applied-migrations
SELECT version, applied_at FROM schema_migrations;

-- name: migration-applied
SELECT COUNT(*) FROM schema_migrations WHERE version = ?;

-- name: migration-done
INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?);
