-- Every column of every table of the schema, for the privacy inventory (schema_columns.go).
-- name: schema-columns
SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema();

-- The columns whose type holds text or bytes, for the privacy checks' scans (promises.go).
-- name: schema-text-columns
SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
    AND data_type IN ('text', 'bytea', 'character varying') ORDER BY table_name, column_name;

-- Every foreign key as (table, referenced table), for the order of a restore (rows.go).
-- name: schema-foreign-keys
SELECT t.relname, r.relname FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema();

-- The identity columns whose sequence a restore sets past the rows (rows_restore.go).
-- name: schema-identity-columns
SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND is_identity = 'YES';

-- Sets an identity column's sequence so that the next id is the value given.
-- name: set-identity
SELECT setval(pg_get_serial_sequence(?, ?), ?, false);
