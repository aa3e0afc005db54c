package sqldb

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/promises"
)

// PromiseStore is what the privacy checks (internal/promises) read and keep: the
// values they look into, the counts of overdue records and stuck mail, the last result
// of each check (privacy_checks) and the owners' mail.
type PromiseStore struct {
	DB *DB
}

// LastResults returns the stored result of every check that has run, by check id.
func (s PromiseStore) LastResults(ctx context.Context) ([]promises.Result, error) {
	rows, err := s.DB.Query(ctx, query("privacy-check-results"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []promises.Result
	for rows.Next() {
		var r promises.Result
		var details string
		var at, changed int64
		if err := rows.Scan(&r.ID, &r.Status, &r.Message, &details, &at, &changed); err != nil {
			return nil, translate(err)
		}
		if err := json.Unmarshal([]byte(details), &r.Details); err != nil {
			return nil, errs.Wrap(errs.Internal, "", err)
		}
		r.RanAt, r.ChangedAt = time.UnixMilli(at).UTC(), time.UnixMilli(changed).UTC()
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// SaveResults stores each result as its check's last one; changed_at moves only when
// the status changes.
func (s PromiseStore) SaveResults(ctx context.Context, rs []promises.Result) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		for _, r := range rs {
			details, err := json.Marshal(r.Details)
			if err != nil {
				return errs.Wrap(errs.Internal, "", err)
			}
			if r.Details == nil {
				details = []byte("[]")
			}
			at := r.RanAt.UnixMilli()
			if _, err := tx.Exec(ctx, query("save-privacy-check"), r.ID, string(r.Status), r.Message, string(details), at, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// QueueToOwners queues, in one transaction, the mail compose writes for each active
// owner's sealed address, and returns how many.
func (s PromiseStore) QueueToOwners(ctx context.Context, compose func(emailSealed string) (mail.Queued, error)) (int, error) {
	var sealed []string
	if err := s.DB.each(ctx, query("active-owner-emails"), nil, func(v []byte) error {
		sealed = append(sealed, string(v))
		return nil
	}); err != nil {
		return 0, err
	}
	qs := make([]mail.Queued, 0, len(sealed))
	for _, e := range sealed {
		q, err := compose(e)
		if err != nil {
			return 0, err
		}
		qs = append(qs, q)
	}
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		for _, q := range qs {
			if _, err := InsertOutbox(ctx, tx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(qs), nil
}

// QueuedBefore counts transactional mails (sealed recipient and text) still queued or
// being sent that were queued before the time.
func (s PromiseStore) QueuedBefore(ctx context.Context, before time.Time) (n int64, err error) {
	err = s.DB.QueryRow(ctx, query("transactional-queued-before"), toMillis(before)).Scan(&n)
	return n, translate(err)
}

// Values calls fn with every non-empty value of table.column as bytes, streaming. The
// names must be those of a column of the schema (the schema-columns query).
func (s PromiseStore) Values(ctx context.Context, table, column string, fn func([]byte) error) error {
	cols, err := s.DB.Columns(ctx)
	if err != nil {
		return err
	}
	c := Column{Table: table, Name: column}
	if !slices.Contains(cols, c) {
		return errs.E(errs.Invalid, "No such column: "+table+"."+column+".")
	}
	return s.DB.each(ctx, columnValuesSQL(c), nil, func(v []byte) error {
		if len(v) == 0 {
			return nil
		}
		return fn(v)
	})
}

// columnValuesSQL is the one statement of the privacy checks outside queries/ (see
// doc.go): it must name a table and column, and identifiers cannot be bound arguments.
// c must be an entry of DB.Columns, a listing of the schema itself (as resealing's
// statements name only entries of SealedColumns), so no input reaches the text.
func columnValuesSQL(c Column) string {
	return "SELECT " + c.Name + " FROM " + c.Table + " WHERE " + c.Name + " IS NOT NULL"
}

// each streams the one column of a query's rows as bytes.
func (db *DB) each(ctx context.Context, query string, args []any, fn func([]byte) error) error {
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var v []byte
	for rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return translate(err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// TextColumns lists the columns of the tables whose type holds text or bytes.
func (s PromiseStore) TextColumns(ctx context.Context, tables []string) ([][2]string, error) {
	rows, err := s.DB.Query(ctx, s.DB.Dialect.query("schema-text-columns"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, translate(err)
		}
		if slices.Contains(tables, c[0]) {
			out = append(out, c)
		}
	}
	return out, translate(rows.Err())
}
