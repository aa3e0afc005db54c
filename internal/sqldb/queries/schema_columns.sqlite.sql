-- Every column of every table of the schema, for the privacy inventory (schema_columns.go).
-- name: schema-columns
SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';

-- The columns whose type holds text or bytes, for the privacy checks' scans (promises.go).
-- name: schema-text-columns
SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND upper(p.type) IN ('TEXT', 'BLOB') ORDER BY m.name, p.name;

-- Every foreign key as (table, referenced table), for the order of a restore (rows.go).
-- name: schema-foreign-keys
SELECT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';

-- The identity columns whose sequence a restore sets past the rows (rows_restore.go):
-- none on SQLite, where AUTOINCREMENT follows explicit ids by itself.
-- name: schema-identity-columns
SELECT name, name FROM sqlite_master WHERE 0;
