package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/candor-dev/candor/internal/errs"
)

// DB is a database handle for one of the two dialects. For SQLite it holds a single
// writer connection and a read-only pool; for PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *sql.DB
	batch   batcher // group commit of concurrent writes (SQLite)

	writeStmts, readStmts *stmtCache
}

func newDB(d Dialect, write, read *sql.DB) *DB {
	db := &DB{Dialect: d, write: write, read: read, writeStmts: &stmtCache{pool: write}, readStmts: &stmtCache{pool: read}}
	if read == write {
		db.readStmts = db.writeStmts
	}
	return db
}

// ParseDSN splits a Candor DSN ("sqlite:PATH" or "postgres://…") into dialect and the
// driver's own data source name. It never echoes the DSN, which may hold a password.
func ParseDSN(dsn string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" || strings.ContainsAny(path, "?#") {
			return "", "", errors.New("a sqlite DSN is sqlite:PATH, with a file path and no options")
		}
		return SQLite, path, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return "", "", errors.New("the postgres DSN is not a valid URL")
		}
		return Postgres, dsn, nil
	}
	return "", "", errors.New(`the DSN must start with "sqlite:" or "postgres://"`)
}

// Open connects to the database named by dsn and checks that it answers. It does not
// migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	dialect, source, err := ParseDSN(dsn)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err.Error(), nil)
	}
	db, err := dialect.open(source)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openSQLite(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, errs.Wrap(errs.Unavailable, "cannot create the database directory", err)
		}
	}
	if err := privateFiles(path); err != nil {
		return nil, err
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=journal_mode(WAL)&_pragma=secure_delete(1)"
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, translate(err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	// The writer creates the file and switches it to WAL before readers open it.
	if _, err := write.Exec(SQLite.query("wal-mode")); err != nil {
		write.Close()
		return nil, errs.Wrap(errs.Unavailable, "cannot open the SQLite database", err)
	}
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, translate(err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return newDB(SQLite, write, read), nil
}

func openPostgres(source string) (*DB, error) {
	pool, err := sql.Open("pgx", source)
	if err != nil {
		return nil, translate(err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return newDB(Postgres, pool, pool), nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return errs.Wrap(errs.Unavailable, "the database does not answer", err)
	}
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	if db.batch.stop != nil {
		close(db.batch.stop)
	}
	db.writeStmts.close()
	db.readStmts.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Warnings lists settings of the server that put acknowledged writes at risk (on
// PostgreSQL: fsync or synchronous_commit off). Start-up logs each one.
func (db *DB) Warnings(ctx context.Context) ([]string, error) {
	var out []string
	for _, name := range db.Dialect.durabilitySettings() {
		var v string
		if err := db.read.QueryRowContext(ctx, db.Dialect.Rebind(db.Dialect.query("server-setting")), name).Scan(&v); err != nil {
			return nil, translate(err)
		}
		if v == "off" {
			out = append(out, fmt.Sprintf("PostgreSQL has %s=off: a crash can lose acknowledged writes", name))
		}
	}
	return out, nil
}
