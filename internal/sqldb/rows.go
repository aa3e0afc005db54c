package sqldb

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// RowsFormat names the dialect-neutral format of ExportRows (docs/operations.md#backups):
// JSON lines, read by ImportRows on either dialect. The first line is the header
// {"format":"candor-rows/1","dialect":…,"migrations":[versions]}; then, per table in
// dependency order (a table after those it refers to), {"table":…,"columns":[…]}, one
// JSON array per row in the columns' order, and {"end":…,"rows":N,"sha256":…}. A cell
// is null, a number (integers exact; a float always has "." or "e"), a string (valid
// UTF-8 text), {"bytes":base64} or {"text64":base64} (text that is not UTF-8).
const RowsFormat = "candor-rows/1"

type rowsHeader struct {
	Format     string  `json:"format"`
	Dialect    Dialect `json:"dialect"`
	Migrations []int64 `json:"migrations"`
}

type tableHeader struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

// TableSum is a table's row count and a checksum of its rows that does not depend on
// their order: the SHA-256 of the sorted SHA-256s of the rows' encoded lines.
type TableSum struct {
	End    string `json:"end"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// migrationsTable is the migrations' own bookkeeping, written by Migrate on a restore.
const migrationsTable = "schema_migrations"

var identRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// schema is the tables of the migrated schema, their columns, in dependency order.
type schema struct {
	order   []string
	columns map[string][]string
}

// readSchema lists the tables (Columns) and orders them so that a table comes after
// the tables its foreign keys refer to (ties by name; self-references ignored).
func (db *DB) readSchema(ctx context.Context) (schema, error) {
	cols, err := db.Columns(ctx)
	if err != nil {
		return schema{}, err
	}
	s := schema{columns: map[string][]string{}}
	for _, c := range cols {
		if !identRE.MatchString(c.Table) || !identRE.MatchString(c.Name) {
			return s, fmt.Errorf("sqldb: unexpected name %s.%s in the schema", c.Table, c.Name)
		}
		s.columns[c.Table] = append(s.columns[c.Table], c.Name)
	}
	deps := map[string][]string{}
	rows, err := db.read.QueryContext(ctx, db.Dialect.query("schema-foreign-keys"))
	if err != nil {
		return s, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, ref string
		if err := rows.Scan(&t, &ref); err != nil {
			return s, translate(err)
		}
		if t != ref {
			deps[t] = append(deps[t], ref)
		}
	}
	if err := rows.Err(); err != nil {
		return s, translate(err)
	}
	names := make([]string, 0, len(s.columns))
	for t := range s.columns {
		names = append(names, t)
	}
	slices.Sort(names)
	done := map[string]bool{}
	var visit func(t string, depth int)
	visit = func(t string, depth int) {
		if done[t] || depth > len(names) {
			return
		}
		for _, ref := range deps[t] {
			visit(ref, depth+1)
		}
		if !done[t] {
			done[t] = true
			s.order = append(s.order, t)
		}
	}
	for _, t := range names {
		visit(t, 0)
	}
	return s, nil
}

// ident replaces the identifier just before q's /*name*/ marker with text (a name or a
// column list from the schema, never input); q without the marker is returned as is.
func ident(q, name, text string) string {
	marker := "/*" + name + "*/"
	at := strings.Index(q, marker)
	if at < 0 {
		return q
	}
	start := at
	for start > 0 && (q[start-1] == '_' || q[start-1] >= 'a' && q[start-1] <= 'z') {
		start--
	}
	return q[:start] + text + q[at+len(marker):]
}

// tableQuery is the named query for table with its columns filled in.
func tableQuery(name, table string, cols []string) string {
	return ident(ident(query(name), "table", table), "columns", strings.Join(cols, ", "))
}

// ExportRows writes every table of the database to w in RowsFormat, from one
// consistent snapshot (PostgreSQL: a REPEATABLE READ, READ ONLY transaction; SQLite: a
// read transaction), while the database keeps serving. It returns each table's sum.
func (db *DB) ExportRows(ctx context.Context, w io.Writer) (map[string]TableSum, error) {
	s, err := db.readSchema(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.read.BeginTx(ctx, db.Dialect.snapshot())
	if err != nil {
		return nil, translate(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	rtx := &Tx{tx: tx, dialect: db.Dialect}
	bw := bufio.NewWriterSize(w, 1<<16)
	head := rowsHeader{Format: RowsFormat, Dialect: db.Dialect}
	if err := rtx.forEachRow(ctx, migrationsTable, []string{"version"}, func(cells []any) error {
		v, _ := asInt(cells[0])
		head.Migrations = append(head.Migrations, v)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := writeJSONLine(bw, head); err != nil {
		return nil, err
	}
	sums := map[string]TableSum{}
	for _, table := range s.order {
		cols := s.columns[table]
		if err := writeJSONLine(bw, tableHeader{table, cols}); err != nil {
			return nil, err
		}
		sum := newRowSum(table)
		err := rtx.forEachRow(ctx, table, cols, func(cells []any) error {
			line, err := encodeRow(cells)
			if err != nil {
				return fmt.Errorf("sqldb: table %s: %w", table, err)
			}
			sum.add(line)
			_, err = bw.Write(append(line, '\n'))
			return err
		})
		if err != nil {
			return nil, err
		}
		sums[table] = sum.total()
		if err := writeJSONLine(bw, sums[table]); err != nil {
			return nil, err
		}
	}
	return sums, bw.Flush()
}

// TableSums is every table's row count and checksum, as ExportRows computes them.
func (db *DB) TableSums(ctx context.Context) (map[string]TableSum, error) {
	return db.ExportRows(ctx, io.Discard)
}

// forEachRow calls fn with each row of table's columns, in the order of all columns.
func (tx *Tx) forEachRow(ctx context.Context, table string, cols []string, fn func([]any) error) error {
	pos := make([]string, len(cols))
	for i := range cols {
		pos[i] = strconv.Itoa(i + 1)
	}
	rows, err := tx.Query(ctx, orderBy(tableQuery("rows-select", table, cols), strings.Join(pos, ", ")))
	if err != nil {
		return err
	}
	defer rows.Close()
	cells := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return translate(err)
		}
		if err := fn(cells); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// encodeRow encodes one row's cells as a JSON array (see RowsFormat).
func encodeRow(cells []any) ([]byte, error) {
	b := []byte{'['}
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		switch v := c.(type) {
		case nil:
			b = append(b, "null"...)
		case []byte:
			b = append(append(append(b, `{"bytes":"`...), base64.StdEncoding.EncodeToString(v)...), `"}`...)
		case string:
			if !utf8.ValidString(v) {
				b = append(append(append(b, `{"text64":"`...), base64.StdEncoding.EncodeToString([]byte(v))...), `"}`...)
				continue
			}
			s, _ := json.Marshal(v)
			b = append(b, s...)
		case bool:
			b = strconv.AppendBool(b, v)
		case float64:
			f := strconv.FormatFloat(v, 'g', -1, 64)
			if !strings.ContainsAny(f, ".e") {
				f += ".0"
			}
			b = append(b, f...)
		default:
			n, ok := asInt(v)
			if !ok {
				return nil, fmt.Errorf("a value of type %T has no encoding in %s", c, RowsFormat)
			}
			b = strconv.AppendInt(b, n, 10)
		}
	}
	return append(b, ']'), nil
}

// asInt is an integer cell as int64.
func asInt(c any) (int64, bool) {
	switch v := c.(type) {
	case int64:
		return v, true
	case int32:
		return int64(v), true
	case int16:
		return int64(v), true
	case int:
		return int64(v), true
	}
	return 0, false
}

// rowSum accumulates a table's order-independent checksum.
type rowSum struct {
	table string
	sums  [][sha256.Size]byte
}

func newRowSum(table string) *rowSum { return &rowSum{table: table} }

func (r *rowSum) add(line []byte) { r.sums = append(r.sums, sha256.Sum256(line)) }

func (r *rowSum) total() TableSum {
	slices.SortFunc(r.sums, func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	for _, s := range r.sums {
		h.Write(s[:])
	}
	return TableSum{End: r.table, Rows: int64(len(r.sums)), SHA256: hex.EncodeToString(h.Sum(nil))}
}
