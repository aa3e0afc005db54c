package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// Promise: staff actions cannot be triggered from another website (CSRF). A cross-site
// post is refused before authentication, even with a valid session cookie — also from the
// vendor's own site (--site-origin), which is trusted for the public forms only.
func TestCrossOriginPosts(t *testing.T) {
	e := newEnv(t, "--site-origin", "https://www.vendor.example")
	owner, _ := e.signedIn("owner@example.com", staff.Owner)

	cases := []struct {
		name   string
		header map[string]string
		status int
	}{
		{"Sec-Fetch-Site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"Sec-Fetch-Site same-site", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"foreign Origin, old browser", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"foreign Origin and cross-site", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"null Origin", map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"site origin is not trusted on the admin", map[string]string{"Origin": "https://www.vendor.example", "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same origin", map[string]string{"Origin": e.ts.URL, "Sec-Fetch-Site": "same-origin"}, http.StatusUnauthorized},
		{"no Origin, no Sec-Fetch-Site (not a browser)", nil, http.StatusUnauthorized},
	}
	n := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, signedIn := range []bool{false, true} {
				c := e.client()
				if signedIn {
					c = owner
				}
				n++
				victim := fmt.Sprintf("csrf-victim-%d@example.com", n)
				e.canary(victim)
				add := url.Values{"email": {victim}, "role": {"owner"}}
				req := c.newRequest(http.MethodPost, "/admin/staff", strings.NewReader(add.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for k, v := range tc.header {
					req.Header.Set(k, v)
				}
				r := c.do(req)
				wantStatus := tc.status
				if signedIn && wantStatus == http.StatusUnauthorized {
					wantStatus = http.StatusOK // let through: the owner adds the member
				}
				if r.StatusCode != wantStatus {
					t.Fatalf("signed in %v: status %d; want %d\n%.800s", signedIn, r.StatusCode, wantStatus, r.body)
				}
				if wantStatus == http.StatusForbidden && !strings.Contains(r.body, "another site") {
					t.Errorf("the 403 does not say why:\n%.800s", r.body)
				}
				_, err := e.staff.FindByEmail(e.ctx, staff.CLI, victim)
				if added := err == nil; added != (wantStatus == http.StatusOK) {
					t.Fatalf("signed in %v: member added = %v (%v); want %v", signedIn, added, err, wantStatus == http.StatusOK)
				}
			}
		})
	}
}

// checkSecurityHeaders asserts the headers every response must carry.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
		t.Errorf("%s: Content-Security-Policy %q allows unsafe sources", what, csp)
	}
	for k, v := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
	} {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q; want %q", what, k, got, v)
		}
	}
}

// externalRef finds an attribute or CSS url() that points at another origin: an absolute
// http(s) URL or a scheme-relative //host one.
var externalRef = regexp.MustCompile(`(?i)(?:\b(?:src|href|action|formaction|srcset|poster|data|xlink:href)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["'])(?:https?:)?//`)

// checkNoForeignOrigin asserts a page references no origin but the server's own.
func checkNoForeignOrigin(t *testing.T, what, body string) {
	t.Helper()
	for _, m := range externalRef.FindAllStringIndex(body, -1) {
		t.Errorf("%s references another origin: %q", what, body[m[0]:min(len(body), m[1]+60)])
	}
}

// Promise: no third party sees our visitors or staff (no CDN, no third-party origin),
// and every response, whatever its status, carries the security headers.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newEnv(t, "--max-body", "1024", "--demo")
	anon := e.client()
	owner, _ := e.signedIn("owner@example.com", staff.Owner)
	support, sm := e.signedIn("support@example.com", staff.Support)
	css, _ := e.srv.assets.url("admin.css")

	big := strings.Repeat("x", 4096)
	chunked := anon.newRequest(http.MethodPost, "/admin/login", io.MultiReader(strings.NewReader("email=a%40b.example&password="), strings.NewReader(big)))
	chunked.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	chunked.ContentLength = -1 // sent chunked: only the body reader can stop it
	crossSite := anon.newRequest(http.MethodPost, "/admin/staff", strings.NewReader("email=x"))
	crossSite.Header.Set("Sec-Fetch-Site", "cross-site")
	method := anon.newRequest(http.MethodDelete, "/admin/login", nil)

	cases := []struct {
		name   string
		r      resp
		status int
	}{
		{"page", anon.get("/admin/login"), http.StatusOK},
		{"demo site", anon.get("/"), http.StatusOK},
		{"healthz", anon.get("/healthz"), http.StatusOK},
		{"metrics", anon.get("/metrics"), http.StatusOK},
		{"static asset", anon.get(css), http.StatusOK},
		{"redirect to sign-in", anon.get("/admin/"), http.StatusSeeOther},
		{"api unauthorized", anon.get("/api/v1/me"), http.StatusUnauthorized},
		{"post unauthorized", anon.post("/admin/staff", url.Values{}), http.StatusUnauthorized},
		{"cross-site", anon.do(crossSite), http.StatusForbidden},
		{"role forbidden", support.get("/admin/staff"), http.StatusForbidden},
		{"not found", anon.get("/no/such/page"), http.StatusNotFound},
		{"unknown asset", anon.get("/static/admin.00000000.css"), http.StatusNotFound},
		{"method not allowed", anon.do(method), http.StatusMethodNotAllowed},
		{"too large (Content-Length)", anon.post("/admin/login", url.Values{"email": {"a@b.example"}, "password": {big}}), http.StatusRequestEntityTooLarge},
		{"too large (chunked)", anon.do(chunked), http.StatusRequestEntityTooLarge},
		{"signed-in home", owner.get("/admin/"), http.StatusOK},
		{"staff list", owner.get("/admin/staff"), http.StatusOK},
		{"staff member", owner.get(fmt.Sprintf("/admin/staff/%d", sm.ID)), http.StatusOK},
		{"staff member's password reset", owner.post(fmt.Sprintf("/admin/staff/%d/reset-password", sm.ID), nil), http.StatusOK},
		{"audit log", owner.get("/admin/audit"), http.StatusOK},
		{"account", owner.get("/admin/account"), http.StatusOK},
		{"2fa", owner.get("/admin/account/2fa"), http.StatusOK},
		{"2fa enrolment (QR code)", owner.post("/admin/account/2fa", url.Values{"action": {"begin"}}), http.StatusOK},
		{"wrong sign-in", anon.post("/admin/login", url.Values{"email": {"nobody@example.com"}, "password": {"wrong-password-123"}}), http.StatusUnauthorized},
	}
	for _, tc := range cases {
		if tc.r.StatusCode != tc.status {
			t.Errorf("%s: status %d; want %d\n%.600s", tc.name, tc.r.StatusCode, tc.status, tc.r.body)
		}
		checkSecurityHeaders(t, tc.name, tc.r.Header)
		if strings.HasPrefix(tc.r.Header.Get("Content-Type"), "text/html") || strings.HasPrefix(tc.r.Header.Get("Content-Type"), "text/css") {
			checkNoForeignOrigin(t, tc.name, tc.r.body)
		}
		if strings.HasPrefix(tc.r.Request.URL.Path, "/admin") && tc.r.StatusCode == http.StatusOK &&
			!strings.Contains(tc.r.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: admin page Cache-Control %q; want no-store", tc.name, tc.r.Header.Get("Cache-Control"))
		}
	}
	if ct := cases[4].r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("static asset Content-Type %q", ct)
	}
}

// Promise (of the test above): the pattern that finds references to other origins does
// find them; otherwise the scan of every page would prove nothing.
func TestExternalRefPattern(t *testing.T) {
	for _, s := range []string{
		`<script src="https://cdn.example/x.js">`, `<link href='http://fonts.example/css'>`,
		`<img src=//tracker.example/p.gif>`, `<form action="https://evil.example/">`,
		`body{background:url("https://cdn.example/a.png")}`, `@import "//cdn.example/x.css";`,
	} {
		if !externalRef.MatchString(s) {
			t.Errorf("externalRef misses %s", s)
		}
	}
	for _, s := range []string{`<a href="/admin/">`, `<link href="/static/admin.1234.css">`, `<svg xmlns="http://www.w3.org/2000/svg">`, `<p>see https://example.com</p>`} {
		if externalRef.MatchString(s) {
			t.Errorf("externalRef matches harmless %s", s)
		}
	}
}
