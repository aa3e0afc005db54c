package sqldb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ImportRows restores a RowsFormat stream (ExportRows, from either dialect) into this
// database, which must be empty: it applies the migrations (the stream's must be the
// same set), empties the tables the migrations filled (their bookkeeping and seeds,
// which the stream holds as they were), inserts every table's rows in
// the stream's dependency order in one transaction (foreign keys checked as on any
// write), sets each identity sequence past the highest id (PostgreSQL), and then
// compares every table's row count and checksum with the stream's. It returns the sums.
func (db *DB) ImportRows(ctx context.Context, r io.Reader) (map[string]TableSum, error) {
	if cols, err := db.Columns(ctx); err != nil {
		return nil, err
	} else if len(cols) > 0 {
		return nil, errors.New("sqldb: the database is not empty; restore into a new, empty database")
	}
	br := bufio.NewReaderSize(r, 1<<16)
	var head rowsHeader
	if err := readJSONLine(br, &head); err != nil || head.Format != RowsFormat {
		return nil, fmt.Errorf("sqldb: not a %s stream (%v)", RowsFormat, err)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	var have []int64
	for _, m := range applied {
		have = append(have, int64(m.Version))
	}
	slices.Sort(have)
	slices.Sort(head.Migrations)
	if !slices.Equal(have, head.Migrations) {
		return nil, fmt.Errorf("sqldb: the backup's schema (migrations %v) is not this Candor's (%v); restore with the Candor version that made it, then upgrade", head.Migrations, have)
	}
	s, err := db.readSchema(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]TableSum{}
	err = db.InTx(ctx, func(tx *Tx) error {
		for _, t := range slices.Backward(s.order) {
			if _, err := tx.Exec(ctx, tableQuery("rows-delete", t, nil)); err != nil {
				return err
			}
		}
		return tx.importTables(ctx, br, s, want)
	})
	if err != nil {
		return nil, err
	}
	got, err := db.TableSums(ctx)
	if err != nil {
		return nil, err
	}
	for t, w := range want {
		if got[t] != w {
			return got, fmt.Errorf("sqldb: table %s restored with %d rows (checksum %.12s), the backup holds %d (%.12s)", t, got[t].Rows, got[t].SHA256, w.Rows, w.SHA256)
		}
	}
	return got, nil
}

// importTables inserts the stream's tables and records each table's end line in want.
func (tx *Tx) importTables(ctx context.Context, br *bufio.Reader, s schema, want map[string]TableSum) error {
	ids := map[string]string{} // table → identity column
	rows, err := tx.Query(ctx, tx.dialect.query("schema-identity-columns"))
	if err != nil {
		return err
	}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return translate(err)
		}
		ids[t] = c
	}
	rows.Close()
	for {
		var th tableHeader
		if err := readJSONLine(br, &th); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		have, ok := s.columns[th.Table]
		if !ok {
			return fmt.Errorf("sqldb: the backup holds table %q, which this schema has not", th.Table)
		}
		for _, c := range th.Columns {
			if !slices.Contains(have, c) {
				return fmt.Errorf("sqldb: the backup's table %s has column %q, which this schema has not", th.Table, c)
			}
		}
		ti := tableImport{tx: tx, table: th.Table, cols: th.Columns, sum: newRowSum(th.Table)}
		ti.idCol = slices.Index(th.Columns, ids[th.Table])
		end, err := ti.run(ctx, br)
		if err != nil {
			return err
		}
		want[th.Table] = end
		if ti.idCol >= 0 {
			if _, err := tx.Exec(ctx, tx.dialect.query("set-identity"), th.Table, ids[th.Table], ti.maxID+1); err != nil {
				return fmt.Errorf("sqldb: resetting %s's sequence: %w", th.Table, err)
			}
		}
	}
	return nil
}

// tableImport inserts one table's rows in batches.
type tableImport struct {
	tx    *Tx
	table string
	cols  []string
	sum   *rowSum
	idCol int // the identity column's index, or -1
	maxID int64
	batch []any
}

// run reads rows up to the table's end line, which it checks and returns.
func (ti *tableImport) run(ctx context.Context, br *bufio.Reader) (TableSum, error) {
	per := max(1, min(500, 30000/len(ti.cols)))
	for {
		line, err := br.ReadBytes('\n')
		if err != nil {
			return TableSum{}, fmt.Errorf("sqldb: table %s: the backup ends early: %w", ti.table, err)
		}
		line = bytes.TrimSuffix(line, []byte{'\n'})
		if len(line) > 0 && line[0] == '{' {
			var end TableSum
			if err := json.Unmarshal(line, &end); err != nil || end.End != ti.table {
				return end, fmt.Errorf("sqldb: table %s: a malformed end line", ti.table)
			}
			if err := ti.flush(ctx); err != nil {
				return end, err
			}
			if got := ti.sum.total(); got != end {
				return end, fmt.Errorf("sqldb: table %s: the backup's rows do not match its checksum (damaged?)", ti.table)
			}
			return end, nil
		}
		ti.sum.add(line)
		cells, err := decodeRow(line, len(ti.cols))
		if err != nil {
			return TableSum{}, fmt.Errorf("sqldb: table %s: %w", ti.table, err)
		}
		if ti.idCol >= 0 {
			if n, ok := cells[ti.idCol].(int64); ok && n > ti.maxID {
				ti.maxID = n
			}
		}
		ti.batch = append(ti.batch, cells...)
		if len(ti.batch) >= per*len(ti.cols) {
			if err := ti.flush(ctx); err != nil {
				return TableSum{}, err
			}
		}
	}
}

// flush inserts the rows gathered.
func (ti *tableImport) flush(ctx context.Context) error {
	n := len(ti.batch) / len(ti.cols)
	if n == 0 {
		return nil
	}
	q := list(list(tableQuery("rows-insert", ti.table, ti.cols), "cells", len(ti.cols)), "rows", n)
	if _, err := ti.tx.Exec(ctx, q, ti.batch...); err != nil {
		return fmt.Errorf("sqldb: restoring table %s: %w", ti.table, err)
	}
	ti.batch = ti.batch[:0]
	return nil
}

func readJSONLine(br *bufio.Reader, v any) error {
	line, err := br.ReadBytes('\n')
	if err != nil {
		if len(line) == 0 {
			return err
		}
		return io.ErrUnexpectedEOF
	}
	return json.Unmarshal(line, v)
}

// decodeRow decodes one row's JSON array (see RowsFormat) into n driver values.
func decodeRow(line []byte, n int) ([]any, error) {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var raw []any
	err := d.Decode(&raw)
	if err != nil || len(raw) != n {
		return nil, fmt.Errorf("a malformed row (%d cells, want %d): %v", len(raw), n, err)
	}
	for i, c := range raw {
		switch v := c.(type) {
		case json.Number:
			if strings.ContainsAny(string(v), ".eE") {
				raw[i], err = v.Float64()
			} else {
				raw[i], err = v.Int64()
			}
			if err != nil {
				return nil, err
			}
		case map[string]any:
			b64, isBytes := v["bytes"].(string)
			t64, isText := v["text64"].(string)
			if !isBytes && !isText {
				return nil, errors.New("a malformed cell")
			}
			b, err := base64.StdEncoding.DecodeString(b64 + t64)
			if err != nil {
				return nil, err
			}
			raw[i] = b
			if isText {
				raw[i] = string(b)
			}
		}
	}
	return raw, nil
}
