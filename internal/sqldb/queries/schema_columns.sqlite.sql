-- Every column of every table of the schema, for the privacy inventory (schema_columns.go).
-- name: schema-columns
SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';

-- The columns whose type holds text or bytes, for the privacy checks' scans (promises.go).
-- name: schema-text-columns
SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND upper(p.type) IN ('TEXT', 'BLOB') ORDER BY m.name, p.name;
