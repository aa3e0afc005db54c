package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/candor-dev/candor/internal/cli"
)

var (
	demoPasswordRE = regexp.MustCompile(`one-time password: (\S+)`)
	totpSecretRE   = regexp.MustCompile(`\b[A-Z2-7]{32}\b`) // 20 bytes, unpadded base32
	oneTimeRE      = regexp.MustCompile(`\b[A-Z2-7]{26}\b`) // rand.Text: 128 bits
)

// totpCode returns the code for the time step offset steps from now.
func totpCode(t *testing.T, secret string, offset int) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, time.Now().Add(time.Duration(offset)*30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// awayFromStepBoundary waits, if needed, so that the next few seconds stay inside one
// TOTP time step.
func awayFromStepBoundary() {
	if left := 30 - time.Now().Unix()%30; left <= 3 {
		time.Sleep(time.Duration(left)*time.Second + 100*time.Millisecond)
	}
}

// Promise (the operator's first minutes, end to end): `candor serve --demo` prints the
// demo owner's one-time password; it opens nothing but the password change; then the
// owner can enrol a second factor, add staff and read the audit log; health, readiness
// and metrics answer; every response carries the security headers; shutdown lets an
// in-flight request finish and returns promptly; and the logs of all this contain no
// password, token, TOTP secret or email.
func TestServeDemo(t *testing.T) {
	in := newInstall(t)
	s := in.serve("--demo")
	m := demoPasswordRE.FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no one-time password on stdout:\n%s", s.stdout)
	}
	otp := m[1]
	if !strings.Contains(s.stdout.String(), "(public URL "+s.url+")") {
		t.Errorf("the public URL is not where the server listens:\n%s", s.stdout)
	}
	const mine = "the-owner-chose-this-1"
	in.canary(otp, mine, cli.DemoOwnerEmail)

	b := s.browser()
	for _, p := range []string{"/healthz", "/readyz"} {
		r := b.get(p)
		want(t, r, http.StatusOK)
		checkSecurityHeaders(t, r)
	}
	r := b.get("/")
	want(t, r, http.StatusOK)
	checkSecurityHeaders(t, r)
	if strings.Contains(r.body, cli.DemoOwnerEmail) || strings.Contains(r.body, otp) {
		t.Fatal("the public demo site shows the owner's email or password")
	}

	// First sign-in: the one-time password opens only the password change.
	wantRedirect(t, b.get("/admin/"), "/admin/login?next=%2Fadmin%2F")
	want(t, b.post("/admin/login", url.Values{"email": {cli.DemoOwnerEmail}, "password": {"not-the-password-1"}}), http.StatusUnauthorized)
	wantRedirect(t, b.post("/admin/login", url.Values{"email": {cli.DemoOwnerEmail}, "password": {otp}, "next": {"/admin/"}}), "/admin/")
	wantRedirect(t, b.get("/admin/"), "/admin/account")
	r = b.get("/admin/account")
	want(t, r, http.StatusOK)
	checkSecurityHeaders(t, r)
	wantRedirect(t, b.post("/admin/account/password", url.Values{"current": {otp}, "password": {mine}, "confirm": {mine}}),
		"/admin/account?done=password-changed")
	r = b.get("/admin/")
	want(t, r, http.StatusOK)
	checkSecurityHeaders(t, r)

	// A second factor, then a fresh sign-in in two steps.
	r = b.post("/admin/account/2fa", url.Values{"action": {"begin"}})
	want(t, r, http.StatusOK)
	secret := totpSecretRE.FindString(r.body)
	if secret == "" {
		t.Fatalf("no TOTP secret on the enrolment page:\n%s", r.body)
	}
	in.canary(secret)
	awayFromStepBoundary()
	want(t, b.post("/admin/account/2fa", url.Values{"action": {"confirm"}, "code": {totpCode(t, secret, -1)}}), http.StatusOK)
	wantRedirect(t, b.post("/admin/logout", nil), "/admin/login")
	wantRedirect(t, b.get("/admin/"), "/admin/login?next=%2Fadmin%2F")
	r = b.post("/admin/login", url.Values{"email": {cli.DemoOwnerEmail}, "password": {mine}})
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, `name="code"`) {
		t.Fatalf("the password step does not ask for the code:\n%s", r.body)
	}
	wantRedirect(t, b.post("/admin/login", url.Values{"code": {totpCode(t, secret, 0)}}), "/admin/")
	want(t, b.get("/admin/"), http.StatusOK)

	// The owner adds a member, who signs in with the one-time password shown once.
	const hire = "new-hire@example.com"
	in.canary(hire)
	r = b.post("/admin/staff", url.Values{"email": {hire}, "role": {"support"}})
	want(t, r, http.StatusOK)
	hirePW := oneTimeRE.FindString(r.body)
	if hirePW == "" {
		t.Fatalf("no one-time password on the page after adding a member:\n%s", r.body)
	}
	in.canary(hirePW)
	h := s.browser()
	wantRedirect(t, h.post("/admin/login", url.Values{"email": {hire}, "password": {hirePW}}), "/admin/")
	wantRedirect(t, h.get("/admin/"), "/admin/account")
	want(t, h.get("/admin/staff"), http.StatusSeeOther)

	// The audit log records who did what by id, never by email.
	r = b.get("/api/v1/audit")
	want(t, r, http.StatusOK)
	var audit struct {
		Entries []struct{ Action, Actor, Subject string }
	}
	if err := json.Unmarshal([]byte(r.body), &audit); err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range audit.Entries {
		actions[e.Action] = true
	}
	for _, a := range []string{"staff.signin", "staff.change_password", "staff.2fa_enrolled", "staff.add", "staff.list"} {
		if !actions[a] {
			t.Errorf("the audit log lacks %s: %s", a, r.body)
		}
	}
	for _, leak := range []string{cli.DemoOwnerEmail, hire, otp, mine, secret, hirePW} {
		if strings.Contains(r.body, leak) {
			t.Errorf("the audit log contains %q", leak)
		}
	}
	want(t, b.get("/admin/audit"), http.StatusOK)

	// Metrics: Prometheus text, counted by route pattern.
	r = b.get("/metrics")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "candor_http_requests_total") || !strings.Contains(r.body, `route="GET /admin/{$}"`) {
		t.Fatalf("metrics lack candor_http_requests_total by route:\n%.3000s", r.body)
	}
	for _, leak := range []string{cli.DemoOwnerEmail, hire, "127.0.0.1"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("metrics contain %q", leak)
		}
	}
	want(t, b.get("/no/such/page"), http.StatusNotFound)

	shutdownWithRequestInFlight(t, s)

	// The canary check is only worth something if the logs hold the requests.
	logs := in.logs.String()
	for _, w := range []string{"listening", `route="POST /admin/login"`, "shutting down", "stopped"} {
		if !strings.Contains(logs, w) {
			t.Errorf("the logs lack %q:\n%s", w, logs)
		}
	}
}

// shutdownWithRequestInFlight starts a request, stops the server while the request's
// body is still arriving, and asserts that the request completes, new connections are
// refused, and the server returns cleanly.
func shutdownWithRequestInFlight(t *testing.T, s *server) {
	t.Helper()
	const slowPW = "slow-request-password-1"
	s.in.canary(slowPW)
	body := url.Values{"email": {"slow@example.com"}, "password": {slowPW}}.Encode()
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	// Expect: 100-continue makes the server answer "100 Continue" when the handler first
	// reads the body: once that answer is read, the request is inside the handler.
	fmt.Fprintf(conn, "POST /admin/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		s.addr, len(body))
	br := bufio.NewReader(conn)
	if res, err := http.ReadResponse(br, nil); err != nil || res.StatusCode != http.StatusContinue {
		t.Fatalf("before the body: %v, %v; want 100 Continue (the handler reading the body)", res, err)
	}
	if _, err := conn.Write([]byte(body[:10])); err != nil {
		t.Fatal(err)
	}

	stopped := make(chan error, 1)
	go func() { stopped <- s.shutdown() }()
	// New connections are refused once shutdown has begun.
	deadline := time.Now().Add(30 * time.Second) // a hang guard for a loaded machine
	for {
		c, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 30 s after shutdown began")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-stopped:
		t.Fatal("the server stopped before its in-flight request finished")
	default:
	}
	if _, err := conn.Write([]byte(body[10:])); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the in-flight request got no response: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("in-flight sign-in = %d; want 401", res.StatusCode)
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
}

// Promise: demo mode, whose owner password is printed in a terminal, never listens
// beyond the machine itself.
func TestServeDemoRefusesPublicAddress(t *testing.T) {
	in := newInstall(t)
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:8080"} {
		out, err := in.candor("", nil, append([]string{"serve", "--demo", "--addr", addr}, in.args()...)...)
		if err == nil || !strings.Contains(err.Error(), "--addr") {
			t.Errorf("serve --demo --addr %s: %v; want an error naming --addr", addr, err)
		}
		if strings.Contains(out, "password") || strings.Contains(out, "listening") {
			t.Errorf("serve --demo --addr %s printed:\n%s", addr, out)
		}
	}
}
