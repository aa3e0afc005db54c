package egress_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbidden are the package-level names that open a connection, or build a client that
// would, without the egress dialer: import path → names (a trailing * matches a prefix).
var forbidden = map[string][]string{
	"net":        {"Dial*", "Dialer"},
	"crypto/tls": {"Dial*", "Dialer"},
	"net/http":   {"Client", "Transport", "DefaultClient", "DefaultTransport", "Get", "Head", "Post", "PostForm"},
	"net/smtp":   {"*"},
	"github.com/emersion/go-imap/v2/imapclient": {"Dial*"},
	"github.com/emersion/go-smtp":               {"Dial*"},
	"golang.org/x/net/proxy":                    {"*"},
}

// Promise (issue 11, one way out): no code outside internal/egress opens a network
// connection or builds an http.Client or http.Transport of its own; test files and
// the test kits (internal/testkit, which production code may not import: a test there
// checks it) are exempt.
func TestOneWayOut(t *testing.T) {
	var findings []string
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if name := d.Name(); name == "egress" || name == "testkit" || name == "testdata" || strings.HasSuffix(name, "test") || strings.HasSuffix(name, "fake") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			findings = append(findings, offences(t, path)...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range findings {
		t.Errorf("%s: outbound connections go through internal/egress only (docs/security.md#one-way-out)", f)
	}
}

// offences lists the uses of forbidden names in one file, as "file:line: pkg.Name".
func offences(t *testing.T, path string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string]string{} // local name → import path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if strings.HasPrefix(name, "v") && strings.Count(p, "/") > 0 && len(name) <= 3 { // …/go-imap/v2
			rest := strings.TrimSuffix(p, "/"+name)
			name = rest[strings.LastIndex(rest, "/")+1:]
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = p
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		p, ok := imports[id.Name]
		if !ok {
			return true
		}
		for _, pat := range forbidden[p] {
			if matches(pat, sel.Sel.Name) && !typeOnly(f, sel) {
				out = append(out, fset.Position(sel.Pos()).String()+": "+id.Name+"."+sel.Sel.Name)
				break
			}
		}
		return true
	})
	return out
}

func matches(pat, name string) bool {
	if prefix, ok := strings.CutSuffix(pat, "*"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return pat == name
}

// typeOnly reports whether sel (http.Client, http.Transport, net.Dialer) is only named
// as a type — a parameter, field or result such as *http.Client — rather than built by
// a composite literal or new(…), or used as a value (http.DefaultClient, net.Dial).
func typeOnly(f *ast.File, sel *ast.SelectorExpr) bool {
	switch sel.Sel.Name {
	case "Client", "Transport", "Dialer":
	default:
		return false
	}
	built := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			if n.Type == sel {
				built = true
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "new" && len(n.Args) == 1 && n.Args[0] == sel {
				built = true
			}
		}
		return !built
	})
	return !built
}
