package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/candor-dev/candor/internal/errs"
)

// Queryer is what both a DB and a Tx offer: queries with "?" placeholders whose errors
// are already translated to coded errors.
type Queryer interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Row is one result row whose Scan translates errors; sql.ErrNoRows becomes not_found.
type Row struct {
	row *sql.Row
}

// Scan copies the columns into dest; no row is an errs.NotFound error.
func (r Row) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, "Not found.", err)
	}
	return translate(err)
}

// Exec runs a statement on the writer.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.write.ExecContext(ctx, db.Dialect.Rebind(query), args...)
	return res, translate(err)
}

// Query runs a read on the read pool.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := db.read.QueryContext(ctx, db.Dialect.Rebind(query), args...)
	return rows, translate(err)
}

// QueryRow runs a one-row read on the read pool.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) Row {
	return Row{db.read.QueryRowContext(ctx, db.Dialect.Rebind(query), args...)}
}

// Tx is a write transaction.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
}

// Dialect reports the dialect of the transaction's database.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.dialect.Rebind(query), args...)
	return res, translate(err)
}

// Query runs a read in the transaction.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.dialect.Rebind(query), args...)
	return rows, translate(err)
}

// QueryRow runs a one-row read in the transaction.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) Row {
	return Row{tx.tx.QueryRowContext(ctx, tx.dialect.Rebind(query), args...)}
}

// InTx runs fn in a write transaction, committing when fn returns nil and rolling back
// otherwise (a panic in fn rolls back and re-panics).
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{tx: sqlTx, dialect: db.Dialect}); err != nil {
		return err
	}
	return translate(sqlTx.Commit())
}

// InsertID runs an INSERT … RETURNING id in a transaction and returns the new id, the
// same on both dialects. (DB.QueryRow reads from the read-only pool, so writes that
// return rows always run in a Tx.)
func InsertID(ctx context.Context, q *Tx, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Affected returns the rows a statement changed, or not_found when it changed none.
func Affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "Not found.")
	}
	return nil
}
