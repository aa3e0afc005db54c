-- Every table in the dialect-neutral rows format (rows.go, rows_restore.go). The
-- table and its columns come from the schema (schema-columns), never from input: the
-- identifier before /*table*/ and the one before /*columns*/ are replaced by the
-- table's name and its column list (ident), /*order*/ by its columns' positions, and
-- the row tuple is repeated (list), so the text as written prepares as it stands.

-- name: rows-select
SELECT version/*columns*/ FROM schema_migrations/*table*/ /*order*/;

-- name: rows-delete
DELETE FROM schema_migrations/*table*/;

-- name: rows-insert
INSERT INTO schema_migrations/*table*/ (version/*columns*/) VALUES (?/*cells*/)/*rows*/;
