package sqldb

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// Every named query is used by the code, and every name the code reads exists: a name
// read with the shared query() has the same text on both dialects.
func TestQueriesNamedAndUsed(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	literals := map[string]bool{}
	for _, p := range pkgs {
		for _, f := range p.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING {
						literals[s] = true
					}
				case *ast.CallExpr:
					checkQueryCall(t, fset, n)
				}
				return true
			})
		}
	}
	for name := range namedQueries {
		if !literals[name] {
			t.Errorf("query %s is in queries/ but no code names it", name)
		}
	}
}

// checkQueryCall checks a call query("name") or d.query("name").
func checkQueryCall(t *testing.T, fset *token.FileSet, call *ast.CallExpr) {
	t.Helper()
	shared := false
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		shared = fn.Name == "query"
		if !shared {
			return
		}
	case *ast.SelectorExpr:
		if fn.Sel.Name != "query" {
			return
		}
	default:
		return
	}
	if len(call.Args) != 1 {
		return
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok {
		return // a name passed in (claimRows, refunds): its literal is checked above
	}
	name, _ := strconv.Unquote(lit.Value)
	q, ok := namedQueries[name]
	switch {
	case !ok:
		t.Errorf("%s: no query named %s", fset.Position(lit.Pos()), name)
	case shared && (q.sqlite != q.postgres || q.sqlite == ""):
		t.Errorf("%s: query %s differs by dialect: read it with Dialect.query", fset.Position(lit.Pos()), name)
	}
}

// The loader takes a dialect's block over the shared one, expands the lock macros, and
// refuses a file it cannot read unambiguously.
func TestLoadQueries(t *testing.T) {
	qs, err := loadQueries(fstest.MapFS{
		"queries/a.sql":          {Data: []byte("-- name: one\n-- a comment for the reader\nSELECT 1;\n\n-- name: lock\nSELECT id FROM t{{FOR_UPDATE}};\n")},
		"queries/a.postgres.sql": {Data: []byte("-- name: one\nSELECT 2;\n-- name: only-pg\nSELECT 3;\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]namedQuery{
		"one":     {sqlite: "SELECT 1", postgres: "SELECT 2"},
		"lock":    {sqlite: "SELECT id FROM t", postgres: "SELECT id FROM t FOR UPDATE"},
		"only-pg": {postgres: "SELECT 3"},
	}
	if len(qs) != len(want) {
		t.Fatalf("loaded %v, want %v", qs, want)
	}
	for name, w := range want {
		if qs[name] != w {
			t.Errorf("%s = %+v, want %+v", name, qs[name], w)
		}
	}
	for file, body := range map[string]string{
		"no name":    "SELECT 1;\n",
		"empty":      "-- name: x\n\n-- name: y\nSELECT 1;\n",
		"twice":      "-- name: x\nSELECT 1;\n-- name: x\nSELECT 2;\n",
		"blank name": "-- name:\nSELECT 1;\n",
	} {
		if _, err := loadQueries(fstest.MapFS{"queries/b.sql": {Data: []byte(body)}}); err == nil {
			t.Errorf("%s: loaded without error", file)
		}
	}
}
