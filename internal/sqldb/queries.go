package sqldb

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

// queryFiles holds every query of the package: queries/STORE.sql, one file per store,
// each a run of blocks that start with a "-- name: NAME" line (the listmonk and
// goatcounter layout). A block in STORE.postgres.sql or STORE.sqlite.sql replaces the
// block of the same name for that dialect only, or is a query of that dialect alone.
//
//go:embed queries/*.sql
var queryFiles embed.FS

// namedQuery is one query as each dialect runs it (the same text unless the query uses a
// dialect macro or has a dialect's override).
type namedQuery struct{ sqlite, postgres string }

// namedQueries holds every named query; it is read once, at start-up, and never written
// again.
var namedQueries = mustLoadQueries(queryFiles)

// query returns the text of the named query shared by both dialects. An unknown name,
// or one whose text differs by dialect (read it with Dialect.query), panics: both are
// programming errors that TestQueriesNamedAndUsed catches before a release.
func query(name string) string {
	q, ok := namedQueries[name]
	if !ok {
		panic("sqldb: no query named " + name)
	}
	if q.sqlite != q.postgres || q.sqlite == "" {
		panic("sqldb: query " + name + " differs by dialect; read it with Dialect.query")
	}
	return q.sqlite
}

// mustLoadQueries reads the query files, panicking on a malformed or duplicate block.
func mustLoadQueries(fsys fs.FS) map[string]namedQuery {
	qs, err := loadQueries(fsys)
	if err != nil {
		panic(err)
	}
	return qs
}

// loadQueries reads every queries/*.sql file: the shared blocks, then each dialect's
// overrides (a name only in one dialect's file is that dialect's alone), and expands the dialect macros (Dialect.queryMacros) in each text.
func loadQueries(fsys fs.FS) (map[string]namedQuery, error) {
	paths, err := fs.Glob(fsys, "queries/*.sql")
	if err != nil {
		return nil, err
	}
	shared := map[string]string{}
	over := map[Dialect]map[string]string{SQLite: {}, Postgres: {}}
	for _, p := range paths {
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		blocks, err := parseQueries(p, string(body))
		if err != nil {
			return nil, err
		}
		into := shared
		if d, ok := dialectOfQueryFile(p); ok {
			into = over[d]
		}
		for name, text := range blocks {
			if _, dup := into[name]; dup {
				return nil, fmt.Errorf("sqldb: query %s is named twice (%s)", name, p)
			}
			into[name] = text
		}
	}
	out := make(map[string]namedQuery, len(shared))
	for _, m := range []map[string]string{shared, over[SQLite], over[Postgres]} {
		for name := range m {
			q := namedQuery{sqlite: shared[name], postgres: shared[name]}
			if o, ok := over[SQLite][name]; ok {
				q.sqlite = o
			}
			if o, ok := over[Postgres][name]; ok {
				q.postgres = o
			}
			q.sqlite, q.postgres = SQLite.queryMacros(q.sqlite), Postgres.queryMacros(q.postgres)
			out[name] = q
		}
	}
	return out, nil
}

// parseQueries splits one file into its named blocks. Lines starting with "--" other
// than the name lines are comments for the reader and are left out of the text, as is
// the one ";" that ends a block.
func parseQueries(path, body string) (map[string]string, error) {
	out := map[string]string{}
	var name string
	var text []string
	flush := func() error {
		if name == "" {
			return nil
		}
		q := strings.TrimSuffix(strings.TrimSpace(strings.Join(text, "\n")), ";")
		if q == "" {
			return fmt.Errorf("sqldb: query %s in %s is empty", name, path)
		}
		if _, dup := out[name]; dup {
			return fmt.Errorf("sqldb: query %s is named twice in %s", name, path)
		}
		out[name] = q
		return nil
	}
	for _, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if n, ok := strings.CutPrefix(trimmed, "-- name:"); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			name, text = strings.TrimSpace(n), nil
			if name == "" {
				return nil, fmt.Errorf("sqldb: a query in %s has no name", path)
			}
			continue
		}
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		if name == "" && trimmed != "" {
			return nil, fmt.Errorf("sqldb: %s has SQL before its first \"-- name:\" line", path)
		}
		text = append(text, line)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
