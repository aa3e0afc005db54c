package sqldb

import (
	"context"
	"sort"
)

// Column names one stored column of the schema: what the privacy inventory
// (internal/privacy) must declare.
type Column struct {
	Table, Name string
}

// Columns lists every column of every table in the current schema, sorted by table and
// column, on either dialect (SQLite: pragma_table_info; PostgreSQL: the public schema's
// information_schema). Internal tables of the engine are left out.
func (db *DB) Columns(ctx context.Context) ([]Column, error) {
	rows, err := db.read.QueryContext(ctx, db.Dialect.query("schema-columns"))
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Table, &c.Name); err != nil {
			return nil, translate(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Table != out[j].Table {
			return out[i].Table < out[j].Table
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}
