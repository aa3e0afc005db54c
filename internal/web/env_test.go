package web

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/sandbox"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// The tests of this package run the real Server (every middleware, the real staff
// domain, real storage: SQLite by default, PostgreSQL when CANDOR_TEST_POSTGRES names a
// server) behind httptest.NewServer, so requests travel over real HTTP.

// testPassword is the password of members made by env.add (at least 12 characters).
const testPassword = "correct-horse-battery-1"

type env struct {
	t     *testing.T
	ctx   context.Context
	db    *sqldb.DB
	cfg   config.Config
	staff *staff.Service
	srv   *Server
	ts    *httptest.Server
	logs  *canary.Buffer
	shop  *shop.Service // in test mode, over the built-in sandbox

	shopPaths map[string]string      // route pattern → a concrete path to a shop fixture (shopFixture)
	roles     map[staff.Role]*client // one signed-in client per role, for scenarios (roleClient)

	secrets canary.Canaries // must never appear in the logs
}

// newEnv starts a server configured by args (command-line flags, as `candor serve`
// takes them) over a fresh database.
func newEnv(t *testing.T, args ...string) *env {
	t.Helper()
	return newEnvWith(t, nil, args...)
}

// newEnvWith is newEnv with the shop's card processor replaced (nil: the sandbox).
func newEnvWith(t *testing.T, proc payment.Processor, args ...string) *env {
	t.Helper()
	ctx := context.Background()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	flags := config.Register(fs)
	if err := fs.Parse(append([]string{"--data-dir", t.TempDir()}, args...)); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(flags, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	db := dbtest.Open(t)
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	sealer := pii.NewSealer(kr)
	auditLog := audit.New(sqldb.AuditStore{DB: db}, sealer.Index)
	svc, err := staff.NewService(ctx, sqldb.StaffStore{DB: db}, sealer, auditLog, staff.Options{
		IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionAbsolute,
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &canary.Buffer{}
	nlStore := sqldb.NewsletterStore{DB: db}
	nl := newsletter.NewService(nlStore, sealer, auditLog, nil, newsletter.Options{PublicURL: cfg.PublicURL.String(), MailDomain: "example.com"})
	guard, err := antibot.New(antibot.Config{MAC: sealer.Index, MinAge: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	box := sandbox.New()
	_, licenceKey, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if proc == nil {
		proc = box
	}
	shopSvc := shop.New(sqldb.ShopStore{DB: db}, proc, sealer, shop.LicenceSigner{Key: licenceKey}, auditLog, nil, shop.Options{
		Mode: shop.ModeTest, PublicURL: strings.TrimSuffix(cfg.PublicURL.String(), "/"), MailDomain: "example.com", TaxRates: cfg.TaxRates,
	})
	srv, err := NewServer(Deps{
		Config: cfg, Health: db, Staff: svc, Audit: auditLog, Version: "test",
		Shop: shopSvc, Sandbox: box, Notice: testNotice(t, cfg),
		Newsletter: nl, Campaigns: nl.Campaigns(nlStore), Antibot: guard,
		Contact: contact.NewService(sqldb.ContactStore{DB: db}, sealer, auditLog, nil, contact.Options{PublicURL: cfg.PublicURL.String(), MailDomain: "example.com"}), Outbox: mail.NewOutboxAdmin(sqldb.OutboxAdminStore{DB: db}, sealer, auditLog),
		Log:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Privacy: privacy.NewService(sqldb.SubjectStore{DB: db}, sealer, auditLog),
		MyData: privacy.NewLinks(sqldb.SubjectStore{DB: db}, sealer, auditLog, privacy.LinkOptions{
			PublicURL: strings.TrimSuffix(cfg.PublicURL.String(), "/"), MailDomain: "example.com", VendorName: "Example"}),
		Promises: checksOver(cfg.DataDir, db, sealer, auditLog),
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, db: db, cfg: cfg, staff: svc, srv: srv, logs: logs, shop: shopSvc}
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	// Promise: logs carry no password, session token, TOTP secret or email.
	t.Cleanup(e.checkLogs)
	return e
}

// canary registers a secret or personal value that must never reach the logs.
func (e *env) canary(values ...string) { e.secrets.Add(values...) }

func (e *env) checkLogs() { e.secrets.AssertNotIn(e.t, "logs", e.logs.String()) }

// add creates a member as the command line would (no forced password change).
func (e *env) add(email string, role staff.Role) staff.Member {
	e.t.Helper()
	return e.addWith(email, role, testPassword, false)
}

func (e *env) addWith(email string, role staff.Role, password string, mustChange bool) staff.Member {
	e.t.Helper()
	m, err := e.staff.Add(e.ctx, staff.CLI, email, role, password, mustChange)
	if err != nil {
		e.t.Fatalf("Add(%s, %s): %v", email, role, err)
	}
	e.canary(email, password)
	return m
}

// client is one browser: its own cookie jar; it does not follow redirects, so tests
// see every 303.
type client struct {
	e    *env
	http *http.Client
	hdr  http.Header // sent with every request
}

func (e *env) client() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{e: e, hdr: http.Header{}, http: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// resp is a response with its body read.
type resp struct {
	*http.Response
	body string
}

// json decodes the body.
func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", r.Request.URL, err, r.body)
	}
	return v
}

func (r resp) errorCode(t *testing.T) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// cookie returns the value of the named cookie set by this response ("" if none).
func (r resp) cookie(name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (c *client) do(req *http.Request) resp {
	c.e.t.Helper()
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.e.t.Fatalf("%s %s: reading the body: %v", req.Method, req.URL, err)
	}
	for _, ck := range res.Cookies() {
		c.e.canary(ck.Value)
	}
	c.e.srv.Wait() // the work the answer queued is done before the test looks at its effects
	return resp{res, string(b)}
}

func (c *client) newRequest(method, path string, body io.Reader) *http.Request {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.ts.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return req
}

func (c *client) get(path string) resp {
	c.e.t.Helper()
	return c.do(c.newRequest(http.MethodGet, path, nil))
}

func (c *client) post(path string, form url.Values) resp {
	c.e.t.Helper()
	req := c.newRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signIn posts the sign-in form and expects a session.
func (c *client) signIn(email, password string) resp {
	c.e.t.Helper()
	r := c.post("/admin/login", url.Values{"email": {email}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther || r.cookie(sessionCookie) == nil && r.cookie("__Host-"+sessionCookie) == nil {
		c.e.t.Fatalf("sign-in as %s: status %d, cookies %v; want 303 and a session\n%s", email, r.StatusCode, r.Cookies(), r.body)
	}
	return r
}

// signedIn returns a new client signed in as a new member of role.
func (e *env) signedIn(email string, role staff.Role) (*client, staff.Member) {
	e.t.Helper()
	m := e.add(email, role)
	c := e.client()
	c.signIn(email, testPassword)
	return c, m
}

// want asserts a response's status.
func want(t *testing.T, r resp, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s = %d; want %d\n%.2000s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
}

// wantRedirect asserts a 303 to location.
func wantRedirect(t *testing.T, r resp, location string) {
	t.Helper()
	want(t, r, http.StatusSeeOther)
	if got := r.Header.Get("Location"); got != location {
		t.Fatalf("%s %s redirects to %q; want %q", r.Request.Method, r.Request.URL.Path, got, location)
	}
}

// totpSecretRE finds a TOTP secret (20 bytes in unpadded base32) on the enrolment page.
var totpSecretRE = regexp.MustCompile(`\b[A-Z2-7]{32}\b`)

// authenticator is a test's authenticator app: it hands out codes for successive time
// steps, never reusing one, as a person waiting for the next code would.
type authenticator struct {
	t      *testing.T
	secret string
	last   int64
}

// next returns a code the server accepts now: the oldest step still inside the
// server's window (one step either side) that is newer than the last code used.
func (a *authenticator) next() string {
	a.t.Helper()
	for {
		now := time.Now()
		cur := now.Unix() / 30
		boundary := time.Unix((cur+1)*30, 0)
		if time.Until(boundary) < time.Second { // a step is about to end: wait it out
			time.Sleep(time.Until(boundary) + 50*time.Millisecond)
			continue
		}
		step := max(cur-1, a.last+1)
		if step > cur+1 {
			time.Sleep(time.Until(boundary) + 50*time.Millisecond)
			continue
		}
		code, err := totp.GenerateCode(a.secret, time.Unix(step*30, 0))
		if err != nil {
			a.t.Fatal(err)
		}
		a.last = step
		return code
	}
}

// wrong returns a six-digit code that no step near now matches.
func (a *authenticator) wrong() string {
	a.t.Helper()
	bad := map[string]bool{}
	cur := time.Now().Unix() / 30
	for s := cur - 3; s <= cur+3; s++ {
		c, _ := totp.GenerateCode(a.secret, time.Unix(s*30, 0))
		bad[c] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", (123456+i*7919)%1_000_000)
		if !bad[c] {
			return c
		}
	}
}

// enrolTOTP sets up a second factor for the signed-in client through the pages, and
// returns its authenticator.
func (c *client) enrolTOTP() *authenticator {
	t := c.e.t
	t.Helper()
	r := c.post("/admin/account/2fa", url.Values{"action": {"begin"}})
	want(t, r, http.StatusOK)
	secret := totpSecretRE.FindString(r.body)
	if secret == "" {
		t.Fatalf("no TOTP secret on the enrolment page:\n%s", r.body)
	}
	c.e.canary(secret)
	a := &authenticator{t: t, secret: secret}
	r = c.post("/admin/account/2fa", url.Values{"action": {"confirm"}, "code": {a.next()}})
	want(t, r, http.StatusOK)
	return a
}
