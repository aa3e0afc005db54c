package browser

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/candor-dev/candor/internal/cli"
	"github.com/candor-dev/candor/internal/testkit/canary"
)

// stepTimeout bounds one browser step (a navigation, a click and its page load).
const stepTimeout = 20 * time.Second

// server is a running `candor serve --demo`.
type server struct {
	URL      string // http://127.0.0.1:PORT
	Host     string // 127.0.0.1:PORT
	Email    string // the demo owner
	Password string // the demo owner's one-time password
	log      *canary.Buffer
}

var (
	listeningRe = regexp.MustCompile(`listening on (https?://\S+)`)
	demoOwnerRe = regexp.MustCompile(`Demo owner: (\S+)\s+one-time password: (\S+)`)
)

// startServer runs the real command line, `candor serve --demo`, on a free loopback port
// with a fresh data directory, and reads the address and the demo owner's one-time
// password from what it prints. The server stops when the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	return startServerWith(t, t.TempDir())
}

// startServerWith is startServer with data as the data directory and extra flags.
func startServerWith(t *testing.T, data string, extra ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	srv := &server{log: &canary.Buffer{}}
	args := append([]string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", data}, extra...)
	env := cli.Env{
		Getenv: func(string) string { return "" }, // the host's CANDOR_* must not leak in
		Stdin:  strings.NewReader(""),
		Stdout: pw,
		Stderr: srv.log,
	}
	done := make(chan error, 1)
	go func() {
		err := cli.Run(ctx, args, env)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("candor serve ended with: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("candor serve did not stop within 15s of its context ending")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", srv.log.String())
		}
	})

	ready := make(chan struct{})
	go func() { // parse the banner, then keep draining so the server never blocks on stdout
		sc := bufio.NewScanner(pr)
		var signalled bool
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintf(srv.log, "stdout: %s\n", line)
			if signalled {
				continue
			}
			if m := demoOwnerRe.FindStringSubmatch(line); m != nil {
				srv.Email, srv.Password = m[1], m[2]
			}
			if m := listeningRe.FindStringSubmatch(line); m != nil {
				srv.URL = m[1]
			}
			if srv.URL != "" && srv.Email != "" {
				signalled = true
				close(ready)
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("candor serve stopped before it listened: %v\n%s", err, srv.log.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("candor serve printed no address and demo owner within 60s:\n%s", srv.log.String())
	}
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatalf("bad listening address %q: %v", srv.URL, err)
	}
	srv.Host = u.Host
	return srv
}

// chromiumPath finds Chromium. Without one the test fails when the environment
// requires a browser (CI, CANDOR_REQUIRE_BROWSER=1), and skips otherwise.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CANDOR_CHROMIUM"); p != "" { // named explicitly: it must be there
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("CANDOR_CHROMIUM: %v", err)
		}
		return p
	}
	candidates := []string{"/usr/bin/chromium"}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			candidates = append(candidates, p)
		}
	}
	for _, p := range candidates {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	msg := "no Chromium found (looked at CANDOR_CHROMIUM, /usr/bin/chromium and PATH); install chromium to run the browser tests"
	if os.Getenv("CI") != "" || os.Getenv("CANDOR_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startBrowser launches a fresh headless Chromium whose every event goes to rec.
func startBrowser(t *testing.T, rec *recorder) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(rec.listen))
	t.Cleanup(func() { cancel(); acancel() })
	if err := chromedp.Do(ctx, desktop()); err != nil { // starts the browser, bound to ctx
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// recorder keeps what the browser reports: every requested URL, and every problem a
// page shows (console errors and warnings, CSP violations, exceptions, failed requests,
// error statuses).
type recorder struct {
	mu       sync.Mutex
	requests []string
	urls     map[network.RequestID]string
	problems []string
}

func newRecorder() *recorder { return &recorder{urls: map[network.RequestID]string{}} }

// listen runs inside chromedp's read loop: it only records.
func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
			var parts []string
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			r.problems = append(r.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " ")))
		}
	case *runtime.EventExceptionThrown:
		text := ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			text += " " + ev.ExceptionDetails.Exception.Description
		}
		r.problems = append(r.problems, "uncaught exception: "+text)
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning {
			r.problems = append(r.problems, fmt.Sprintf("browser log [%s %s] %s (%s)", e.Source, e.Level, e.Text, e.URL))
		}
	case *network.EventRequestWillBeSent:
		r.requests = append(r.requests, ev.Request.URL)
		r.urls[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			r.problems = append(r.problems, fmt.Sprintf("HTTP %d for %s", ev.Response.Status, ev.Response.URL))
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			r.problems = append(r.problems, fmt.Sprintf("request failed: %s %s (blocked: %s)", r.urls[ev.RequestID], ev.ErrorText, ev.BlockedReason))
		}
	}
}

// take removes and returns the problems that contain substr.
func (r *recorder) take(substr string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var taken, kept []string
	for _, p := range r.problems {
		if strings.Contains(p, substr) {
			taken = append(taken, p)
		} else {
			kept = append(kept, p)
		}
	}
	r.problems = kept
	return taken
}

// check fails the test for every problem recorded so far, and for every request that
// went anywhere but host; then it starts afresh.
func (r *recorder) check(t *testing.T, host, where string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.problems {
		t.Errorf("%s: %s", where, p)
	}
	for _, raw := range r.requests {
		if strings.HasPrefix(raw, "data:") { // inline, no network (Chromium's own date-picker icon)
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host != host || (u.Scheme != "http" && u.Scheme != "https") {
			t.Errorf("%s: request left the server: %s", where, raw)
		}
	}
	r.problems, r.requests = nil, nil
}

// tab is one browser tab driven by the test, with short helpers that fail the test.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // screenshot directory, "" for none
}

func (b *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// open navigates to a path of the server and waits for the page to load.
func (b *tab) open(path string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(b.base+path)); err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
}

// submit clicks the element sel (a submit button) and waits for the next page to load.
func (b *tab) submit(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
	if err != nil {
		b.t.Fatalf("submit %s: %v", sel, err)
	}
}

// fill types value into the field sel, replacing what was there.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value)); err != nil {
		b.t.Fatalf("fill %s: %v", sel, err)
	}
}

// choose selects value in the select sel.
func (b *tab) choose(sel, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		b.t.Fatalf("choose %s in %s: %v", value, sel, err)
	}
}

// text returns the visible text of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// count returns how many elements match sel right now.
func (b *tab) count(sel string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// location returns the current URL, parsed.
func (b *tab) location() *url.URL {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	u, err := url.Parse(s)
	if err != nil {
		b.t.Fatalf("location %q: %v", s, err)
	}
	return u
}

// wantPath fails unless the tab is at path.
func (b *tab) wantPath(path string) *url.URL {
	b.t.Helper()
	u := b.location()
	if u.Path != path {
		b.t.Fatalf("at %s, want path %s", u, path)
	}
	return u
}

// wantHeading fails unless the page's h1 is want.
func (b *tab) wantHeading(want string) {
	b.t.Helper()
	if got := b.text("h1"); got != want {
		b.t.Fatalf("at %s: h1 is %q, want %q", b.location().Path, got, want)
	}
}

// shoot saves full-page screenshots of the current page, in light and dark mode, as
// NAME-light.png and NAME-dark.png; with mobile, also NAME-mobile.png (390 px wide).
func (b *tab) shoot(name string, mobile bool) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	ctx, cancel := b.step()
	defer cancel()
	save := func(suffix string) {
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(b.shots, name+"-"+suffix+".png"), buf, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	for _, scheme := range []string{"light", "dark"} {
		b.colorScheme(ctx, scheme)
		save(scheme)
	}
	b.colorScheme(ctx, "light")
	if mobile {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
			b.t.Fatalf("mobile viewport: %v", err)
		}
		save("mobile")
		if err := chromedp.Do(ctx, desktop()); err != nil {
			b.t.Fatalf("reset viewport: %v", err)
		}
	}
}

// desktop is the viewport of the desktop screenshots: a common laptop window.
func desktop() chromedp.Action[chromedp.Void] { return chromedp.EmulateViewport(1280, 800) }

func (b *tab) colorScheme(ctx context.Context, scheme string) {
	b.t.Helper()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		b.t.Fatalf("emulate prefers-color-scheme %s: %v", scheme, err)
	}
}

// screenshotDir returns CANDOR_SCREENSHOTS, created, or "" when unset.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("CANDOR_SCREENSHOTS")
	if dir == "" {
		return ""
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("CANDOR_SCREENSHOTS: %v", err)
	}
	return dir
}
