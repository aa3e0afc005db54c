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
	q := db.Dialect.Rebind(query)
	st, err := db.writeStmts.get(ctx, q)
	if err != nil {
		return nil, translate(err)
	}
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = db.write.ExecContext(ctx, q, args...)
	}
	return res, translate(err)
}

// Query runs a read on the read pool.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := db.Dialect.Rebind(query)
	st, err := db.readStmts.get(ctx, q)
	if err != nil {
		return nil, translate(err)
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = db.read.QueryContext(ctx, q, args...)
	}
	return rows, translate(err)
}

// QueryRow runs a one-row read on the read pool.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) Row {
	q := db.Dialect.Rebind(query)
	if st, err := db.readStmts.get(ctx, q); err == nil && st != nil {
		return Row{st.QueryRowContext(ctx, args...)}
	}
	return Row{db.read.QueryRowContext(ctx, q, args...)}
}

// Tx is a write transaction.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	stmts   *stmtCache // the writer's prepared statements, used within the transaction
}

// stmt returns the transaction's use of the cached statement for q, or nil (then the
// statement is prepared for later transactions once this one is over).
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if tx.stmts == nil {
		return nil // a read-only snapshot on the read pool: not the writer's statements
	}
	st := tx.stmts.peek(q)
	if st == nil {
		return nil
	}
	return tx.tx.StmtContext(ctx, st)
}

// Dialect reports the dialect of the transaction's database.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := tx.dialect.Rebind(query)
	if st := tx.stmt(ctx, q); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, translate(err)
	}
	res, err := tx.tx.ExecContext(ctx, q, args...)
	return res, translate(err)
}

// Query runs a read in the transaction.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := tx.dialect.Rebind(query)
	if st := tx.stmt(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, translate(err)
	}
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	return rows, translate(err)
}

// QueryRow runs a one-row read in the transaction.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) Row {
	q := tx.dialect.Rebind(query)
	if st := tx.stmt(ctx, q); st != nil {
		return Row{st.QueryRowContext(ctx, args...)}
	}
	return Row{tx.tx.QueryRowContext(ctx, q, args...)}
}

// InTx runs fn in a write transaction, committing when fn returns nil and rolling back
// otherwise (a panic in fn rolls back and re-panics).
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer db.writeStmts.prepareWanted(context.WithoutCancel(ctx))
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{tx: sqlTx, dialect: db.Dialect, stmts: db.writeStmts}); err != nil {
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
