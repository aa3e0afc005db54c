-- Every column of every table of the schema, for the privacy inventory (schema_columns.go).
-- name: schema-columns
SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';
