-- Every column of every table of the schema, for the privacy inventory (schema_columns.go).
-- name: schema-columns
SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema();
