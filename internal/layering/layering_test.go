package layering

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/candor-dev/candor/"

// The layers of docs/architecture.md, outermost first.
const (
	commands = "commands" // internal/cli, cmd/candor: build the graph, may use everything
	webLayer = "web"      // internal/web: HTTP in, domain calls, HTML/JSON out
	storage  = "storage"  // internal/sqldb: the one storage adapter
	adapter  = "adapter"  // outside services and files: relay, mailbox, processor, city database
	domain   = "domain"   // the rules: staff, audit, newsletter, contact, analytics, shop, payment, mail, privacy
	kernel   = "kernel"   // small shared pieces with no domain knowledge
	testkit  = "testkit"  // helpers for tests only
	tests    = "tests"    // packages of tests only (end-to-end, browser)
	tools    = "tools"    // bench/: load generators, outside the product
)

// layers maps a package path (relative to the module) to its layer; a key ending in
// "/" covers every package below it, and the longest key wins. A new package must be
// added here (and to docs/architecture.md): the test refuses one it cannot place.
var layers = map[string]string{
	"cmd/candor": commands, "internal/cli": commands,
	"internal/web": webLayer, "internal/web/": webLayer, "internal/antibot/antibothttp": webLayer,
	"internal/sqldb": storage, "internal/sqldb/": storage,
	"internal/mail/smtp": adapter, "internal/mail/imapin": adapter, "internal/payment/stripe": adapter,
	"internal/payment/sandbox": adapter, "internal/analytics/geo": adapter,
	"internal/egress": adapter, "internal/backup": adapter,
	"internal/staff": domain, "internal/audit": domain, "internal/newsletter": domain, "internal/contact": domain,
	"internal/analytics": domain, "internal/analytics/accesslog": domain, "internal/analytics/classify": domain,
	"internal/shop": domain, "internal/payment": domain, "internal/mail": domain,
	"internal/privacy": domain, "internal/privacy/": domain, "internal/promises": domain,
	"internal/pii": kernel, "internal/errs": kernel, "internal/limiter": kernel, "internal/textfield": kernel,
	"internal/csvsafe": kernel, "internal/procsafe": kernel, "internal/licencekey": kernel, "internal/demo": kernel,
	"internal/config": kernel, "internal/antibot": kernel, "licence": kernel, "internal/layering": kernel,
	"internal/testkit": testkit, "internal/testkit/": testkit,
	"internal/e2e": tests, "internal/browser": tests,
	"bench/": tools, "packaging": tools,
}

// forbidden says which layers a layer may not reach, even through another package.
var forbidden = map[string][]string{
	domain:   {webLayer, storage, adapter, commands, testkit, tests, tools},
	kernel:   {domain, webLayer, storage, adapter, commands, testkit, tests, tools},
	adapter:  {webLayer, storage, commands, testkit, tests, tools},
	storage:  {webLayer, adapter, commands, testkit, tests, tools},
	webLayer: {storage, commands, testkit, tests, tools},
	commands: {testkit, tests, tools},
}

// forbiddenStd are standard packages a layer may not reach: the domains speak neither
// HTTP nor SQL; they declare the interfaces that web and storage satisfy.
var forbiddenStd = map[string][]string{
	domain: {"net/http", "database/sql"},
	kernel: {"net/http", "database/sql"},
}

// exceptions are allowed edges, each with its reason.
var exceptions = map[[2]string]string{
	// The built-in test processor serves its own 3-D Secure page through the web
	// server in --payment test mode; it holds no outside connection.
	{"internal/web", "internal/payment/sandbox"}: "the test processor's page",
}

func layerOf(path string) (string, bool) {
	best, layer := "", ""
	for k, l := range layers {
		if (path == k || strings.HasSuffix(k, "/") && strings.HasPrefix(path, k)) && len(k) > len(best) {
			best, layer = k, l
		}
	}
	return layer, best != ""
}

type pkg struct {
	ImportPath string
	Deps       []string
}

// list returns every package of the module with its transitive dependencies (test
// files excluded).
func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages: not run from the module?", len(pkgs))
	}
	return pkgs
}

// Promise (docs/architecture.md, "Which part may import which"): the dependency
// direction holds for every package, transitively.
func TestImportDirection(t *testing.T) {
	var problems []string
	for _, p := range list(t) {
		path := strings.TrimPrefix(p.ImportPath, module)
		from, ok := layerOf(path)
		if !ok {
			problems = append(problems, path+": in no layer (add it to layers here and to docs/architecture.md)")
			continue
		}
		for _, d := range p.Deps {
			if slices.Contains(forbiddenStd[from], d) {
				problems = append(problems, path+" ("+from+") reaches "+d)
			}
			if !strings.HasPrefix(d, module) {
				continue
			}
			dep := strings.TrimPrefix(d, module)
			to, ok := layerOf(dep)
			if !ok || !slices.Contains(forbidden[from], to) {
				continue
			}
			if _, ok := exceptions[[2]string{path, dep}]; ok {
				continue
			}
			problems = append(problems, path+" ("+from+") reaches "+dep+" ("+to+")")
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// The rules themselves: a domain cannot reach storage, so the test would notice.
func TestLayerTable(t *testing.T) {
	for path, want := range map[string]string{
		"internal/newsletter": domain, "internal/sqldb": storage, "internal/sqldb/queries": storage,
		"internal/web/admin": webLayer, "internal/testkit/mailpit": testkit, "internal/mail/smtp": adapter,
	} {
		if got, _ := layerOf(path); got != want {
			t.Errorf("layerOf(%s) = %q, want %q", path, got, want)
		}
	}
	if _, ok := layerOf("internal/unknown"); ok {
		t.Error("an unknown package was given a layer")
	}
	if !slices.Contains(forbidden[domain], storage) || !slices.Contains(forbiddenStd[domain], "net/http") {
		t.Error("the domain rules lost storage or net/http")
	}
}
