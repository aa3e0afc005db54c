package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/cli"
	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
	"github.com/candor-dev/candor/internal/testkit/mailpit"
)

// install is one Candor installation: a data directory and its database (a file in the
// directory, or a fresh PostgreSQL database). Its logs are every command's stderr.
type install struct {
	t       *testing.T
	dir     string
	dsn     string // "" for the default SQLite file in dir
	logs    *canary.Buffer
	secrets canary.Canaries // must never appear in the logs
}

func newInstall(t *testing.T) *install {
	t.Helper()
	in := &install{t: t, dir: t.TempDir(), logs: &canary.Buffer{}}
	if os.Getenv(dbtest.PostgresEnv) != "" {
		in.dsn = dbtest.DSN(t)
	}
	// Promise: logs carry no password, session token, TOTP secret or email.
	t.Cleanup(in.checkLogs)
	return in
}

// args are the flags that select this installation.
func (in *install) args() []string {
	a := []string{"--data-dir", in.dir}
	if in.dsn != "" {
		a = append(a, "--db", in.dsn)
	}
	return a
}

// canary registers values that must never reach the logs.
func (in *install) canary(values ...string) { in.secrets.Add(values...) }

func (in *install) checkLogs() { in.secrets.AssertNotIn(in.t, "logs", in.logs.String()) }

// environ is a process environment with only the given variables set.
func environ(vars ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	return func(k string) string { return m[k] }
}

// candor runs one command to completion, as `candor ARGS...` with stdin, and returns its
// standard output. Its stderr joins the installation's logs.
func (in *install) candor(stdin string, env func(string) string, args ...string) (string, error) {
	in.t.Helper()
	if env == nil {
		env = environ()
	}
	var out canary.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := cli.Run(ctx, args, cli.Env{Getenv: env, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: in.logs})
	return out.String(), err
}

// server is `candor serve` running in the background.
type server struct {
	t      *testing.T
	in     *install
	url    string // http://127.0.0.1:PORT
	addr   string
	stdout *canary.Buffer
	cancel context.CancelFunc
	done   chan error
}

var listeningRE = regexp.MustCompile(`listening on (https?://(\S+))`)

// serve starts `candor serve` with args on 127.0.0.1:0 and waits until it listens.
func (in *install) serve(args ...string) *server {
	in.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &server{t: in.t, in: in, stdout: &canary.Buffer{}, cancel: cancel, done: make(chan error, 1)}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			_, _ = s.stdout.Write([]byte(line + "\n"))
			if m := listeningRE.FindStringSubmatch(line); m != nil {
				ready <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	all := append(append([]string{"serve", "--addr", "127.0.0.1:0"}, in.args()...), args...)
	go func() {
		err := cli.Run(ctx, all, cli.Env{Getenv: environ(), Stdin: strings.NewReader(""), Stdout: pw, Stderr: in.logs})
		pw.Close()
		s.done <- err
	}()
	select {
	case u := <-ready:
		s.url = u
		s.addr = u[strings.Index(u, "://")+3:]
	case err := <-s.done:
		cancel()
		in.t.Fatalf("candor serve ended before listening: %v\nstdout:\n%s\nlogs:\n%s", err, s.stdout, in.logs)
	case <-time.After(30 * time.Second):
		cancel()
		in.t.Fatalf("candor serve did not listen within 30 s\nlogs:\n%s", in.logs)
	}
	in.t.Cleanup(func() { // a test that failed early still stops its server
		cancel()
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
		}
	})
	return s
}

// addOwner adds the staff owner owner@example.com with password pw (after migrate).
func (in *install) addOwner(t *testing.T, pw string) {
	t.Helper()
	if out, err := in.candor(pw+"\n", nil, append([]string{"staff", "add", "--email", "owner@example.com", "--role", "owner"}, in.args()...)...); err != nil {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
}

// serveWithRelay is serve sending mail through mp over TLS (its certificate trusted).
func (in *install) serveWithRelay(mp *mailpit.Server, args ...string) *server {
	in.t.Helper()
	ca := filepath.Join(in.t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(ca, mp.Cert.CertPEM, 0o600); err != nil {
		in.t.Fatal(err)
	}
	return in.serve(append([]string{"--smtp", mp.URL("smtp", "", "").String(), "--smtp-allow-private", "--smtp-ca-file", ca}, args...)...)
}

// stop cancels the server's context (SIGTERM in production) and asserts that it shuts
// down cleanly and promptly.
func (s *server) stop() {
	s.t.Helper()
	if err := s.shutdown(); err != nil {
		s.t.Fatal(err)
	}
}

// shutdown is stop for any goroutine: it reports instead of failing the test.
func (s *server) shutdown() error {
	start := time.Now()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- nil // for the cleanup
		if err != nil {
			return fmt.Errorf("candor serve returned %v after shutdown", err)
		}
	case <-time.After(60 * time.Second): // a hang guard: serve bounds its own wait (8 s + 5 s)
		return fmt.Errorf("candor serve did not return within 60 s of shutdown\nlogs:\n%s", s.in.logs)
	}
	s.t.Logf("shutdown took %s", time.Since(start).Round(time.Millisecond))
	return nil
}

// browser is one HTTP client with its own cookies; it does not follow redirects.
type browser struct {
	t    *testing.T
	s    *server
	http *http.Client
}

func (s *server) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, s: s, http: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type resp struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) resp {
	b.t.Helper()
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies() {
		b.s.in.canary(c.Value)
	}
	return resp{res, string(body)}
}

func (b *browser) get(path string) resp {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.s.url+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) resp {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.s.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// What a browser sends for a form on the page it came from.
	req.Header.Set("Origin", b.s.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func want(t *testing.T, r resp, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s = %d; want %d\n%.2000s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
}

func wantRedirect(t *testing.T, r resp, location string) {
	t.Helper()
	want(t, r, http.StatusSeeOther)
	if got := r.Header.Get("Location"); got != location {
		t.Fatalf("%s %s redirects to %q; want %q", r.Request.Method, r.Request.URL.Path, got, location)
	}
}

// checkSecurityHeaders asserts the headers every response carries.
func checkSecurityHeaders(t *testing.T, r resp) {
	t.Helper()
	h := r.Header
	what := r.Request.Method + " " + r.Request.URL.Path
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q; want %q", what, k, got, v)
		}
	}
}
