package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// signInMessage is the one answer to every failed sign-in (staff.errSignIn).
const signInMessage = "The email, password or code is not right."

// Promise: only authorized personnel access personal data: a guessed password gets five
// tries, then the account locks, and the answer never tells a locked account, a wrong
// password and an unknown email apart.
func TestSignInLockout(t *testing.T) {
	e := newEnv(t)
	m := e.add("locked@example.com", staff.Support)
	e.add("bystander@example.com", staff.Support)
	c := e.client()
	attempt := func(email, password string) resp {
		t.Helper()
		r := c.post("/admin/login", url.Values{"email": {email}, "password": {password}})
		want(t, r, http.StatusUnauthorized)
		if !strings.Contains(r.body, signInMessage) {
			t.Fatalf("failed sign-in page lacks %q:\n%s", signInMessage, r.body)
		}
		if r.cookie(sessionCookie) != nil || r.cookie(pendingCookie) != nil {
			t.Fatalf("a failed sign-in set cookies: %v", r.Cookies())
		}
		return r
	}
	unknown := attempt("nobody@example.com", "wrong-password-00")
	for i := range 5 {
		attempt("locked@example.com", fmt.Sprintf("wrong-password-%02d", i))
	}
	locked := attempt("locked@example.com", testPassword) // the right password, too late
	if strings.ReplaceAll(locked.body, "locked@example.com", "") != strings.ReplaceAll(unknown.body, "nobody@example.com", "") {
		t.Errorf("a locked account's page differs from an unknown email's:\n%s\n---\n%s", locked.body, unknown.body)
	}
	// Locked for this client only (issue 12, item 9): not for everyone.
	got, err := e.staff.Get(e.ctx, staff.CLI, m.ID)
	if err != nil || got.Locked {
		t.Fatalf("member locked for everyone = %v, %v; want locked for the failing client only", got.Locked, err)
	}
	// The lock is per account: another member still signs in.
	e.client().signIn("bystander@example.com", testPassword)
	// An owner's enable lifts the lock.
	if _, err := e.staff.Enable(e.ctx, staff.CLI, m.ID); err != nil {
		t.Fatal(err)
	}
	c.signIn("locked@example.com", testPassword)
}

// Promise: a stolen password alone is not enough once a member has a second factor.
func TestSignInTwoStep(t *testing.T) {
	e := newEnv(t)
	setup, m := e.signedIn("mfa@example.com", staff.Support)
	auth := setup.enrolTOTP()

	// Step one: the password alone yields the code form and a pending cookie, no session.
	c := e.client()
	r := c.post("/admin/login", url.Values{"email": {"mfa@example.com"}, "password": {testPassword}, "next": {"/admin/account"}})
	want(t, r, http.StatusOK)
	pending := r.cookie(pendingCookie)
	if pending == nil || pending.Value == "" || r.cookie(sessionCookie) != nil {
		t.Fatalf("after the password step: cookies %v; want only %s", r.Cookies(), pendingCookie)
	}
	if !pending.HttpOnly || pending.SameSite != http.SameSiteLaxMode || pending.MaxAge <= 0 || pending.MaxAge > 300 {
		t.Errorf("pending cookie %+v; want HttpOnly, SameSite=Lax, a short life", pending)
	}
	if !strings.Contains(r.body, `name="code"`) || strings.Contains(r.body, `name="password"`) {
		t.Fatalf("the password step does not ask for the code:\n%s", r.body)
	}
	// The pending cookie is not a session.
	want(t, c.get("/api/v1/me"), http.StatusUnauthorized)
	wantRedirect(t, c.get("/admin/"), "/admin/login?next=%2Fadmin%2F")
	// The code form is shown again on a reload.
	if r := c.get("/admin/login?step=code"); !strings.Contains(r.body, `name="code"`) {
		t.Fatalf("the code step page lacks the code field:\n%s", r.body)
	}

	// A wrong code fails with the one message, and keeps asking for the code.
	r = c.post("/admin/login", url.Values{"code": {auth.wrong()}})
	want(t, r, http.StatusUnauthorized)
	if !strings.Contains(r.body, signInMessage) || !strings.Contains(r.body, `name="code"`) {
		t.Fatalf("wrong code page:\n%s", r.body)
	}

	// Step two: the code completes the sign-in.
	r = c.post("/admin/login", url.Values{"code": {auth.next()}, "next": {"/admin/account"}})
	wantRedirect(t, r, "/admin/account")
	if s := r.cookie(sessionCookie); s == nil || s.Value == "" || s.Value == pending.Value {
		t.Fatalf("after the code step: cookies %v; want a fresh session", r.Cookies())
	}
	me := c.get("/api/v1/me")
	want(t, me, http.StatusOK)
	if v := me.json(t); v["second_factor"] != true || v["id"] != float64(m.ID) {
		t.Fatalf("/api/v1/me = %v", v)
	}

	// The spent pending token cannot start another session.
	replay := e.client()
	replay.hdr.Set("Cookie", pendingCookie+"="+pending.Value)
	want(t, replay.post("/admin/login", url.Values{"code": {auth.wrong()}}), http.StatusUnauthorized)

	// Email, password and code in one post also work; the same code twice does not.
	// (Three codes in all, one per time step, so the test never waits for the clock.)
	code := auth.next()
	one := e.client()
	want(t, one.post("/admin/login", url.Values{"email": {"mfa@example.com"}, "password": {testPassword}, "code": {code}}), http.StatusSeeOther)
	want(t, e.client().post("/admin/login", url.Values{"email": {"mfa@example.com"}, "password": {testPassword}, "code": {code}}), http.StatusUnauthorized)
	// The code cannot stand in for the password.
	want(t, e.client().post("/admin/login", url.Values{"email": {"mfa@example.com"}, "password": {"wrong-password-99"}, "code": {code}}), http.StatusUnauthorized)
}

// Promise: session cookies cannot be read by scripts, are not sent by cross-site posts,
// and under HTTPS are Secure with the __Host- prefix.
func TestSessionCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		prefix string
		secure bool
	}{
		{"http", nil, "", false},
		{"https public URL", []string{"--public-url", "https://candor.example.com", "--payment", "hosted", "--stripe-key", "sk_test_unused"}, "__Host-", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.args...)
			e.add("cookie@example.com", staff.Support)
			c := e.client()
			r := c.post("/admin/login", url.Values{"email": {"cookie@example.com"}, "password": {testPassword}})
			want(t, r, http.StatusSeeOther)
			s := r.cookie(tc.prefix + sessionCookie)
			if s == nil {
				t.Fatalf("no %s cookie in %v", tc.prefix+sessionCookie, r.Header.Values("Set-Cookie"))
			}
			if !s.HttpOnly || s.SameSite != http.SameSiteLaxMode || s.Path != "/" || s.Domain != "" || s.Secure != tc.secure {
				t.Errorf("session cookie %q; want HttpOnly, SameSite=Lax, Path=/, no Domain, Secure=%v", r.Header.Values("Set-Cookie"), tc.secure)
			}
			if s.MaxAge <= 0 || s.MaxAge > int(e.cfg.SessionAbsolute.Seconds()) {
				t.Errorf("session cookie Max-Age %d; want at most the absolute timeout %s", s.MaxAge, e.cfg.SessionAbsolute)
			}
			if len(s.Value) < 40 {
				t.Errorf("session token %d characters; want 256 bits", len(s.Value))
			}
			// The cookie is accepted under its name, and only under it.
			for name, status := range map[string]int{tc.prefix + sessionCookie: http.StatusOK, "x" + sessionCookie: http.StatusUnauthorized} {
				raw := e.client()
				raw.hdr.Set("Cookie", name+"="+s.Value)
				want(t, raw.get("/api/v1/me"), status)
			}
			if tc.prefix != "" {
				raw := e.client()
				raw.hdr.Set("Cookie", sessionCookie+"="+s.Value)
				want(t, raw.get("/api/v1/me"), http.StatusUnauthorized)
			}
			// Signing out clears the cookie and ends the session on the server.
			raw := e.client()
			raw.hdr.Set("Cookie", tc.prefix+sessionCookie+"="+s.Value)
			r = raw.post("/admin/logout", nil)
			wantRedirect(t, r, "/admin/login")
			if gone := r.cookie(tc.prefix + sessionCookie); gone == nil || gone.MaxAge >= 0 || gone.Value != "" {
				t.Errorf("logout Set-Cookie %q; want the cookie cleared", r.Header.Values("Set-Cookie"))
			}
			want(t, raw.get("/api/v1/me"), http.StatusUnauthorized)
		})
	}
}

// Promise: a changed password locks out whoever else held a session (a thief's stolen
// cookie dies with the old password); the member's own session goes on.
func TestPasswordChangeRevokesOtherSessions(t *testing.T) {
	e := newEnv(t)
	a, _ := e.signedIn("twice@example.com", staff.Admin)
	b := e.client()
	b.signIn("twice@example.com", testPassword)
	want(t, b.get("/admin/"), http.StatusOK)

	const next = "a-brand-new-password-7"
	e.canary(next)
	// A wrong current password or a mismatched confirmation changes nothing.
	want(t, a.post("/admin/account/password", url.Values{"current": {"wrong-password-00"}, "password": {next}, "confirm": {next}}), http.StatusBadRequest)
	want(t, a.post("/admin/account/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next + "x"}}), http.StatusBadRequest)
	want(t, b.get("/admin/"), http.StatusOK)

	wantRedirect(t, a.post("/admin/account/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next}}),
		"/admin/account?done=password-changed")
	want(t, a.get("/admin/"), http.StatusOK)
	wantRedirect(t, b.get("/admin/"), "/admin/login?next=%2Fadmin%2F")
	want(t, b.get("/api/v1/me"), http.StatusUnauthorized)

	want(t, e.client().post("/admin/login", url.Values{"email": {"twice@example.com"}, "password": {testPassword}}), http.StatusUnauthorized)
	e.client().signIn("twice@example.com", next)
}

// Promise: a one-time password handed out by an owner opens nothing but the page to
// replace it, whatever the member's role.
func TestMustChangePasswordGate(t *testing.T) {
	e := newEnv(t)
	const first, mine = "one-time-password-42", "my-own-password-4242"
	e.canary(mine)
	e.addWith("invited@example.com", staff.Owner, first, true)
	c := e.client()
	wantRedirect(t, c.post("/admin/login", url.Values{"email": {"invited@example.com"}, "password": {first}, "next": {"/admin/staff"}}), "/admin/staff")

	for _, path := range []string{"/admin/", "/admin/staff", "/admin/audit"} {
		wantRedirect(t, c.get(path), "/admin/account")
	}
	r := c.get("/api/v1/me")
	want(t, r, http.StatusForbidden)
	if r.errorCode(t) != "forbidden" {
		t.Fatalf("api while a password change is owed: %s", r.body)
	}
	want(t, c.post("/admin/staff", url.Values{"email": {"sneaky@example.com"}, "role": {"owner"}}), http.StatusForbidden)
	if _, err := e.staff.FindByEmail(e.ctx, staff.CLI, "sneaky@example.com"); err == nil {
		t.Fatal("a member who owes a password change added staff")
	}
	// What the member may still do: see the account page, set a password, sign out.
	want(t, c.get("/admin/account"), http.StatusOK)
	want(t, c.get("/admin/account/2fa"), http.StatusOK)
	wantRedirect(t, c.post("/admin/account/password", url.Values{"current": {first}, "password": {mine}, "confirm": {mine}}),
		"/admin/account?done=password-changed")
	want(t, c.get("/admin/"), http.StatusOK)
	want(t, c.get("/admin/staff"), http.StatusOK)
}

// Promise: when owners require a second factor, a member without one can do nothing
// until they have enrolled.
func TestRequire2FAGate(t *testing.T) {
	e := newEnv(t)
	owner, _ := e.signedIn("owner@example.com", staff.Owner)
	support, _ := e.signedIn("support@example.com", staff.Support)
	want(t, support.get("/admin/"), http.StatusOK)

	// Only owners may turn it on.
	want(t, support.post("/admin/settings/require-2fa", url.Values{"on": {"1"}}), http.StatusForbidden)
	want(t, support.get("/admin/"), http.StatusOK)
	wantRedirect(t, owner.post("/admin/settings/require-2fa", url.Values{"on": {"1"}}), "/admin/staff?done=settings-saved")

	var rows []scenario
	for who, c := range map[string]*client{"support": support, "owner": owner} { // owners without a factor too
		rows = append(rows,
			scenario{Name: who + ": home sends to enrolment", As: c, URL: "/admin/", Status: http.StatusSeeOther, Location: "/admin/account/2fa"},
			scenario{Name: who + ": API refused", As: c, URL: "/api/v1/me", Status: http.StatusForbidden},
			scenario{Name: who + ": account", As: c, URL: "/admin/account", Status: http.StatusOK},
			scenario{Name: who + ": enrolment page", As: c, URL: "/admin/account/2fa", Status: http.StatusOK})
	}
	rows = append(rows,
		scenario{Name: "owner: staff page sends to enrolment", As: owner, URL: "/admin/staff", Status: http.StatusSeeOther, Location: "/admin/account/2fa"},
		scenario{Name: "owner: cannot turn it off unenrolled", As: owner, URL: "/admin/settings/require-2fa", Form: url.Values{"on": {"0"}}, Status: http.StatusForbidden})
	e.scenarios(t, rows)

	support.enrolTOTP()
	want(t, support.get("/admin/"), http.StatusOK)
	want(t, support.get("/api/v1/me"), http.StatusOK)
	wantRedirect(t, owner.get("/admin/"), "/admin/account/2fa")
}

// Promise: signing in never sends a member to another site (no open redirect through
// the next parameter).
func TestSignInNextStaysOnSite(t *testing.T) {
	for next, want := range map[string]string{
		"/admin/staff":            "/admin/staff",
		"/admin/audit?actor=cli":  "/admin/audit?actor=cli",
		"":                        "/admin/",
		"/":                       "/admin/",
		"https://evil.example/":   "/admin/",
		"//evil.example/admin/":   "/admin/",
		"/\\evil.example":         "/admin/",
		"/admin/\\\\evil.example": "/admin/",
		"javascript:alert(1)":     "/admin/",
		"/adminx":                 "/admin/",
		"http:/admin/":            "/admin/",
		" /admin/":                "/admin/",
		"/api/v1/me":              "/admin/",
		"%2F%2Fevil.example":      "/admin/",
		// issue 12: next= is normalised and must stay under /admin/ once cleaned.
		"/admin/../x":               "/admin/",
		"/admin/..//evil.example/x": "/admin/",
		"/admin/./staff":            "/admin/staff",
		"/admin/staff/../audit":     "/admin/audit",
		"/admin/%2e%2e/x":           "/admin/",
		"/admin/%2F%2Fevil.example": "/admin/",
		"/admin/%5cevil.example":    "/admin/",
		"/admin//evil.example":      "/admin/",
		"/admin/staff?x=/../y":      "/admin/staff?x=/../y",
		"/admin/inbox/":             "/admin/inbox/",
		"/admin/\x00":               "/admin/",
		"/admin/a\nb":               "/admin/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q; want %q", next, got, want)
		}
	}

	e := newEnv(t)
	e.add("next@example.com", staff.Support)
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/admin/..//evil.example/"} {
		c := e.client()
		r := c.post("/admin/login", url.Values{"email": {"next@example.com"}, "password": {testPassword}, "next": {next}})
		want(t, r, http.StatusSeeOther)
		loc, err := url.Parse(r.Header.Get("Location"))
		if err != nil || loc.Host != "" || loc.Scheme != "" || strings.HasPrefix(loc.Path, "//") {
			t.Errorf("next=%q: redirected to %q", next, r.Header.Get("Location"))
		}
		// Already signed in, the sign-in page forwards the same way.
		r = c.get("/admin/login?next=" + url.QueryEscape(next))
		if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
			t.Errorf("signed in, next=%q: redirected to %q", next, loc)
		}
	}
}
