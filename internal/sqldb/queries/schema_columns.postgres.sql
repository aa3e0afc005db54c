-- Every column of every table of the schema, for the privacy inventory (schema_columns.go).
-- name: schema-columns
SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema();

-- The columns whose type holds text or bytes, for the privacy checks' scans (promises.go).
-- name: schema-text-columns
SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
    AND data_type IN ('text', 'bytea', 'character varying') ORDER BY table_name, column_name;
