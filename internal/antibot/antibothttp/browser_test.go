package antibothttp

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/candor-dev/candor/internal/antibot"
)

// These tests run antibot.js in headless Chromium against a stand-in for Candor
// (the challenge handler, the script, a POST that calls Check) under Candor's own
// Content Security Policy, and a stand-in for the vendor's static site on another
// origin. They skip without Chromium, unless CI or CANDOR_REQUIRE_BROWSER=1 is set.

const candorCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// stand is a running stand-in for Candor and for the vendor's site.
type stand struct {
	g      *antibot.Guard
	candor *httptest.Server
	site   *httptest.Server

	mu    sync.Mutex
	posts []post
}

// post is one submission Candor's stand-in received.
type post struct {
	verdict antibot.Verdict
	sub     antibot.Submission
	json    bool
}

func (s *stand) received() []post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]post(nil), s.posts...)
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contact</title>
<script src="{{.Script}}" defer></script></head>
<body>
<form method="post" action="{{.Action}}" data-candor-antibot="contact">
  <div hidden><label>Website <input name="website" autocomplete="off" tabindex="-1"></label></div>
  {{with .C}}<input type="hidden" name="candor_time" value="{{.TimeToken}}">
  <input type="hidden" name="candor_pow" value="{{.PoW}}">{{end}}
  <label>Message <textarea id="message" name="message" required></textarea></label>
  <button id="send" type="submit" name="intent" value="send">Send</button>
</form>
</body></html>`))

func startStand(t testing.TB, cfg antibot.Config) *stand {
	t.Helper()
	script, err := os.ReadFile("../../web/static/antibot.js")
	if err != nil {
		t.Fatal(err)
	}
	s := &stand{g: newGuard(t, cfg)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/antibot.js", Script(script))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /antibot/challenge", Challenge(s.g, func(o string) bool { return o == s.site.URL }))
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) { // a Candor-rendered form
		c, err := s.g.Issue(antibot.FormContact)
		if err != nil {
			t.Error(err)
		}
		_ = pageTmpl.Execute(w, map[string]any{"Script": "/static/antibot.js", "Action": "/contact", "C": c})
	})
	mux.HandleFunc("POST /contact", func(w http.ResponseWriter, r *http.Request) {
		sub := antibot.Submission{FormID: antibot.FormContact}
		sub.ClientIP, _, _ = net.SplitHostPort(r.RemoteAddr)
		isJSON := strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
		if isJSON {
			var body map[string]string
			_ = json.NewDecoder(r.Body).Decode(&body)
			sub.ReadFields(func(k string) string { return body[k] })
			sub.Text = []string{body["message"]}
		} else {
			sub.ReadFields(r.PostFormValue)
			sub.Text = []string{r.PostFormValue("message")}
		}
		v := s.g.Check(r.Context(), sub)
		s.mu.Lock()
		s.posts = append(s.posts, post{verdict: v, sub: sub, json: isJSON})
		s.mu.Unlock()
		if isJSON {
			_ = json.NewEncoder(w).Encode(map[string]string{"outcome": string(v.Outcome), "reason": string(v.Reason)})
			return
		}
		fmt.Fprintf(w, `<!doctype html><title>Sent</title><p id="result">%s %s</p>`, v.Outcome, v.Reason)
	})
	s.candor = httptest.NewServer(csp(candorCSP, mux))
	t.Cleanup(s.candor.Close)

	s.site = httptest.NewServer(csp( // the vendor's static site, another origin
		"default-src 'self'; script-src "+s.candor.URL+"; connect-src "+s.candor.URL+"; form-action "+s.candor.URL,
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = pageTmpl.Execute(w, map[string]any{"Script": s.candor.URL + "/static/antibot.js", "Action": s.candor.URL + "/contact"})
		})))
	t.Cleanup(s.site.Close)
	return s
}

func csp(policy string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		h.ServeHTTP(w, r)
	})
}

// browser starts headless Chromium and returns its context and the problems it
// reports (console errors and warnings, exceptions, CSP violations).
func browser(t testing.TB) (context.Context, func() []string) {
	t.Helper()
	path := chromium(t)
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			text := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				text += " " + ev.ExceptionDetails.Exception.Description
			}
			problems = append(problems, "exception: "+text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, "console: "+string(ev.Type))
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, "log: "+ev.Entry.Text)
			}
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	t.Cleanup(func() { cancel(); acancel() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		p := problems
		problems = nil
		return p
	}
}

func chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CANDOR_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" || os.Getenv("CANDOR_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found (CANDOR_CHROMIUM, /usr/bin/chromium, PATH)")
	}
	t.Skip("no Chromium found: browser tests skipped")
	return ""
}

// do runs steps with a timeout.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression, awaiting a promise, with a timeout.
func eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// scripts switches JavaScript off or on in the tab.
func scripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		t.Fatal(err)
	}
}

// testConfig: a quick difficulty and a short minimum age, so the tests are fast but
// still exercise the script's wait for the time trap.
var testConfig = antibot.Config{Difficulty: 12, MinAge: 700 * time.Millisecond}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	s := startStand(t, testConfig)
	ctx, problems := browser(t)

	// wantOne waits for the result page and checks the one submission received.
	wantOne := func(t *testing.T, outcome antibot.Outcome, reason antibot.Reason) post {
		t.Helper()
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		result, err := chromedp.Run(tctx, chromedp.Text(chromedp.ID("result")))
		if err != nil {
			t.Fatalf("no result page: %v", err)
		}
		got := s.received()
		if len(got) != 1 {
			t.Fatalf("%d submissions received, want 1", len(got))
		}
		if v := got[0].verdict; v.Outcome != outcome || v.Reason != reason || result != strings.TrimSpace(string(outcome)+" "+string(reason)) {
			t.Fatalf("verdict %v (page %q), want %s (%s)", v, result, outcome, reason)
		}
		for _, p := range problems() {
			t.Errorf("browser: %s", p)
		}
		return got[0]
	}
	reset := func() { s.mu.Lock(); s.posts = nil; s.mu.Unlock() }

	t.Run("Candor page, submitted at once", func(t *testing.T) {
		reset()
		// The click comes right after the page loads: the script solves, and holds the
		// submit back until the time trap's minimum age has passed.
		do(t, ctx, chromedp.Navigate(s.candor.URL+"/page"),
			chromedp.SendKeys(chromedp.ID("message"), "Hello from a browser"),
			chromedp.Click(chromedp.ID("send")))
		p := wantOne(t, antibot.Accept, "")
		want, _ := antibot.Solve(p.sub.Challenge)
		if p.sub.Nonce != want {
			t.Errorf("browser nonce %q, Go's Solve %q: the two solvers disagree", p.sub.Nonce, want)
		}
	})

	t.Run("vendor's static site, another origin", func(t *testing.T) {
		reset()
		do(t, ctx, chromedp.Navigate(s.site.URL),
			chromedp.SendKeys(chromedp.ID("message"), "Hello from the vendor's site"),
			chromedp.Click(chromedp.ID("send")))
		wantOne(t, antibot.Accept, "")
	})

	t.Run("double submit sends once", func(t *testing.T) {
		reset()
		do(t, ctx, chromedp.Navigate(s.candor.URL+"/page"),
			chromedp.SendKeys(chromedp.ID("message"), "Twice?"))
		eval[bool](t, ctx, `(function(){var f=document.forms[0]; f.requestSubmit(); f.requestSubmit(); f.requestSubmit(); return true})()`)
		wantOne(t, antibot.Accept, "")
	})

	t.Run("fetch and JSON", func(t *testing.T) {
		reset()
		do(t, ctx, chromedp.Navigate(s.candor.URL+"/page"))
		out := eval[[]map[string]string](t, ctx, `(async function () {
				var out = [];
				for (var i = 0; i < 2; i++) { // each solve is for one submission
					var v = await window.candorAntibot.solve('contact');
					var r = await fetch('/contact', {method: 'POST', headers: {'Content-Type': 'application/json'},
						body: JSON.stringify(Object.assign({message: 'JSON ' + i}, v))});
					out.push(await r.json());
				}
				return out;
			})()`)
		if len(out) != 2 || out[0]["outcome"] != "accept" || out[1]["outcome"] != "accept" {
			t.Fatalf("JSON answers %v", out)
		}
		if got := s.received(); len(got) != 2 || !got[0].json || got[0].sub.Challenge == got[1].sub.Challenge {
			t.Fatalf("received %+v", got)
		}
		for _, p := range problems() {
			t.Errorf("browser: %s", p)
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		reset()
		scripts(t, ctx, false)
		defer scripts(t, ctx, true)
		// A Candor page carries a time token and a challenge nobody solved: the
		// person takes their time; the message arrives, for review.
		do(t, ctx, chromedp.Navigate(s.candor.URL+"/page"),
			chromedp.SendKeys(chromedp.ID("message"), "No JavaScript here"),
			chromedp.Sleep(800*time.Millisecond),
			chromedp.Click(chromedp.ID("send")))
		wantOne(t, antibot.NeedsReview, antibot.ReasonPoWUnsolved)
		// The vendor's static page carries nothing: still arrives, for review.
		reset()
		do(t, ctx, chromedp.Navigate(s.site.URL),
			chromedp.SendKeys(chromedp.ID("message"), "No JavaScript here either"),
			chromedp.Click(chromedp.ID("send")))
		wantOne(t, antibot.NeedsReview, antibot.ReasonTimeMissing)
	})
}

// BenchmarkBrowserSolve measures antibot.js solving challenges at the default
// difficulty in headless Chromium on this machine (one fetch and one solve per op;
// the time trap's wait is set to 1 ms). Run it with -benchtime 40x or more: solve
// times vary widely (geometric), so few runs mislead.
func BenchmarkBrowserSolve(b *testing.B) {
	s := startStand(b, antibot.Config{MinAge: time.Millisecond})
	ctx, _ := browser(b)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.candor.URL+"/page")); err != nil {
		b.Fatal(err)
	}
	var totalMS, hashes float64
	for b.Loop() {
		r := eval[struct {
			MS    float64 `json:"ms"`
			Nonce string  `json:"nonce"`
		}](b, ctx, `(async function () {
			var t = performance.now();
			var v = await window.candorAntibot.solve('contact');
			return {ms: performance.now() - t, nonce: v.candor_nonce};
		})()`)
		var n float64
		fmt.Sscan(r.Nonce, &n)
		totalMS += r.MS
		hashes += n + 1
	}
	b.ReportMetric(totalMS/float64(b.N), "ms/solve")
	b.ReportMetric(hashes/totalMS*1000, "hashes/s")
}
