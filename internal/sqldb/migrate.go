package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one schema step, numbered by the prefix of its file name.
type Migration struct {
	Version   int
	Name      string
	SQL       string
	AppliedAt time.Time // zero when pending
}

// migrations returns the dialect's migrations in order: NAME.sql, replaced by
// NAME.<dialect>.sql where that exists.
func (d Dialect) migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	byName := map[string]Migration{}
	for _, e := range entries {
		base := strings.TrimSuffix(e.Name(), ".sql")
		name, variant, hasVariant := strings.Cut(base, ".")
		if hasVariant && variant != string(d) {
			continue
		}
		if _, taken := byName[name]; taken && !hasVariant {
			continue // the dialect's own file wins
		}
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		byName[name] = Migration{Version: v, Name: name, SQL: d.macros(string(body))}
	}
	out := make([]Migration, 0, len(byName))
	for _, m := range byName {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("two migrations share version %d", out[i].Version)
		}
	}
	return out, nil
}

// Migrations lists every migration with the time it was applied (zero when pending).
func (db *DB) Migrations(ctx context.Context) ([]Migration, error) {
	all, err := db.Dialect.migrations()
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "", err)
	}
	if _, err := db.Exec(ctx, query("create-schema-migrations")); err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, query("applied-migrations"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int]int64{}
	for rows.Next() {
		var v int
		var at int64
		if err := rows.Scan(&v, &at); err != nil {
			return nil, translate(err)
		}
		applied[v] = at
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	for i := range all {
		if at, ok := applied[all[i].Version]; ok {
			all[i].AppliedAt = time.UnixMilli(at).UTC()
		}
	}
	return all, nil
}

// Pending reports how many migrations are not yet applied; /readyz uses it.
func (db *DB) Pending(ctx context.Context) (int, error) {
	all, err := db.Migrations(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range all {
		if m.AppliedAt.IsZero() {
			n++
		}
	}
	return n, nil
}

// Migrate applies every pending migration, each in its own transaction together with
// its row in schema_migrations. On PostgreSQL an advisory lock lets several instances
// start at once; on SQLite the single writer serialises them.
func (db *DB) Migrate(ctx context.Context) (applied []Migration, err error) {
	all, err := db.Migrations(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		if !m.AppliedAt.IsZero() {
			continue
		}
		done := false
		err := db.InTx(ctx, func(tx *Tx) error {
			if err := tx.Dialect().lockMigrations(ctx, tx); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, query("migration-applied"), m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil // another instance applied it meanwhile
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			done = true
			_, err := tx.Exec(ctx, query("migration-done"),
				m.Version, m.Name, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return applied, err
		}
		if done {
			m.AppliedAt = time.Now().UTC()
			applied = append(applied, m)
		}
	}
	return applied, nil
}
