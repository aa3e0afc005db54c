package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// wantRoutes is the whole HTTP surface and who may call each route, pinned. Adding,
// removing or loosening a route fails TestRouteTable until this table is updated, so
// every change to the surface is a decision someone writes down.
//
// access: "public", "member" (any signed-in member), "setup" (any signed-in member, even
// one who owes a password change or a second factor) or "perm P" (permission P), plus
// " api" for routes that answer JSON; "token" is a statistics API token and nothing else
// (every session is refused: roles "none"). roles: who may call it ("all" or role names).
var wantRoutes = []struct {
	pattern, access, roles string
}{
	{"GET /healthz", "public", "all"},
	{"GET /readyz", "public", "all"},
	{"GET /metrics", "public", "all"},
	{"GET /static/{file}", "public", "all"},
	{"GET /{$}", "public", "all"},
	{"GET /admin/login", "public", "all"},
	{"POST /admin/login", "public", "all"},

	{"GET /antibot.js", "public", "all"},
	{"GET /antibot/challenge", "public", "all"},
	{"GET /tracker.js", "public", "all"},
	{"POST /collect", "public", "all"},
	{"OPTIONS /collect", "public", "all"},
	{"GET /pixel.gif", "public", "all"},
	{"GET /shop", "public", "all"},
	{"GET /buy/{product}/{edition}", "public", "all"},
	{"POST /buy/{product}/{edition}", "public", "all"},
	{"GET /checkout/{ref}/pay", "public", "all"},
	{"POST /checkout/{ref}/pay", "public", "all"},
	{"POST /checkout/{ref}/hosted", "public", "all"},
	{"GET /checkout/{ref}/return", "public", "all"},
	{"POST /checkout/{ref}/authenticate", "public", "all"},
	{"POST /checkout/{ref}/links", "public", "all"},
	{"GET /checkout/links/sent", "public", "all"},
	{"GET /orders/find", "public", "all"},
	{"POST /orders/find", "public", "all"},
	{"GET /orders/find/sent", "public", "all"},
	{"GET /orders/{ref}", "public", "all"},
	{"GET /orders/{ref}/downloads/{id}", "public", "all"},
	{"GET /licences/revoked", "public", "all"},
	{"POST /webhooks/stripe", "public", "all"},
	{"GET /privacy", "public", "all"},
	{"GET /privacy.json", "public", "all"},
	{"GET /subscribe", "public", "all"},
	{"POST /subscribe", "public", "all"},
	{"OPTIONS /subscribe", "public", "all"},
	{"GET /subscribe/thanks", "public", "all"},
	{"GET /subscribe/confirm/{token}", "public", "all"},
	{"POST /subscribe/confirm/{token}", "public", "all"},
	{"GET /unsubscribe/{token}", "public", "all"},
	{"POST /unsubscribe/{token}", "public", "all"},
	{"GET /preferences/{token}", "public", "all"},
	{"POST /preferences/{token}", "public", "all"},
	{"GET /contact", "public", "all"},
	{"POST /contact", "public", "all"},
	{"OPTIONS /contact", "public", "all"},
	{"GET /contact/thanks", "public", "all"},
	{"GET /my-data", "public", "all"},
	{"POST /my-data", "public", "all"},
	{"GET /my-data/sent", "public", "all"},
	{"GET /my-data/view", "public", "all"},
	{"POST /my-data/view/export", "public", "all"},
	{"POST /my-data/view/erase", "public", "all"},

	{"POST /admin/logout", "setup", "all"},
	{"GET /admin/{$}", "member", "all"},
	{"GET /admin/account", "setup", "all"},
	{"POST /admin/account/password", "setup", "all"},
	{"POST /admin/account/name", "member", "all"},
	{"GET /admin/account/2fa", "setup", "all"},
	{"POST /admin/account/2fa", "setup", "all"},
	{"GET /api/v1/me", "member api", "all"},

	// The contact inbox: {id} is the conversation made by inboxFixture; the posts, sent
	// empty, are refused as invalid (or select nothing) and change nothing.
	{"GET /admin/inbox", "perm contact.read", "owner admin support"},
	{"POST /admin/inbox/search", "perm contact.read", "owner admin support"},
	{"POST /admin/inbox/bulk", "perm contact.read", "owner admin support"},
	{"GET /admin/inbox/export", "perm contact.read", "owner admin support"},
	{"GET /admin/inbox/{id}", "perm contact.read", "owner admin support"},
	{"GET /admin/inbox/{id}/export.csv", "perm contact.read", "owner admin support"},
	{"GET /admin/inbox/{id}/export.json", "perm contact.read", "owner admin support"},
	{"POST /admin/inbox/{id}/reply", "perm contact.read", "owner admin support"},
	{"POST /admin/inbox/{id}/note", "perm contact.read", "owner admin support"},
	{"POST /admin/inbox/{id}/move", "perm contact.read", "owner admin support"},
	{"POST /admin/inbox/{id}/assign", "perm contact.read", "owner admin support"},

	// Subscribers, campaigns, outbox: {id} is a fixture made by staffSideFixtures.
	// The destructive posts come after the pages that need their fixture.
	{"POST /admin/subscribers/search", "perm subscribers.manage", "owner admin support marketing"},
	{"GET /admin/subscribers", "perm subscribers.manage", "owner admin support marketing"},
	{"GET /admin/subscribers/export.csv", "perm subscribers.manage", "owner admin support marketing"},
	{"GET /admin/subscribers/import", "perm subscribers.manage", "owner admin support marketing"},
	{"POST /admin/subscribers/import", "perm subscribers.manage", "owner admin support marketing"},
	{"POST /admin/subscribers/import/commit", "perm subscribers.manage", "owner admin support marketing"},
	{"GET /admin/subscribers/{id}", "perm subscribers.manage", "owner admin support marketing"},
	{"POST /admin/subscribers/{id}/delete", "perm subscribers.manage", "owner admin support marketing"},
	// {id} is the default list, which cannot be deleted: the posts change nothing.
	{"GET /admin/lists", "perm subscribers.manage", "owner admin support marketing"},
	{"POST /admin/lists", "perm subscribers.manage", "owner admin support marketing"},
	{"POST /admin/lists/{id}", "perm subscribers.manage", "owner admin support marketing"},
	{"POST /admin/lists/{id}/delete", "perm subscribers.manage", "owner admin support marketing"},
	{"GET /admin/campaigns", "perm campaigns.manage", "owner admin marketing"},
	{"GET /admin/campaigns/new", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns", "perm campaigns.manage", "owner admin marketing"},
	{"GET /admin/campaigns/{id}", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns/{id}", "perm campaigns.manage", "owner admin marketing"},
	{"GET /admin/campaigns/{id}/edit", "perm campaigns.manage", "owner admin marketing"},
	{"GET /admin/campaigns/{id}/preview", "perm campaigns.manage", "owner admin marketing"},
	{"GET /admin/campaigns/{id}/preview.html", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns/{id}/test", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns/{id}/schedule", "perm campaigns.manage", "owner admin marketing"},
	{"GET /admin/campaigns/{id}/send", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns/{id}/send", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns/{id}/pause", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns/{id}/resume", "perm campaigns.manage", "owner admin marketing"},
	{"POST /admin/campaigns/{id}/cancel", "perm campaigns.manage", "owner admin marketing"},
	{"GET /api/v1/campaigns/{id}/progress", "perm campaigns.manage api", "owner admin marketing"},
	{"GET /admin/stats", "perm stats.view", "owner admin analyst"},
	{"GET /admin/stats/export.csv", "perm stats.view", "owner admin analyst"},
	{"POST /admin/stats/report-subscription", "perm stats.view", "owner admin analyst"},
	{"POST /admin/stats/goals", "perm stats.view", "owner admin analyst"},
	{"POST /admin/stats/goals/{id}/delete", "perm stats.view", "owner admin analyst"},
	{"GET /admin/stats/tokens", "perm stats.view", "owner admin analyst"},
	{"POST /admin/stats/tokens", "perm stats.view", "owner admin analyst"},
	{"POST /admin/stats/tokens/{id}/revoke", "perm stats.view", "owner admin analyst"},
	{"GET /api/stats", "token api", "none"},
	{"GET /api/stats.csv", "token api", "none"},
	// The shop admin: {id} is the product "tool" and the pending order made by
	// shopFixture; the posts, sent empty, are refused as invalid (a pending order has
	// no receipt to resend) and change nothing.
	{"GET /admin/shop", "perm shop.manage", "owner admin shop"},
	{"GET /admin/shop/products/new", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/products/new", "perm shop.manage", "owner admin shop"},
	{"GET /admin/shop/products/{id}", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/products/{id}", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/products/{id}/editions", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/products/{id}/downloads", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/products/{id}/downloads/delete", "perm shop.manage", "owner admin shop"},
	{"GET /admin/shop/coupons", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/coupons", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/coupons/{id}/end", "perm shop.manage", "owner admin shop"},
	{"GET /admin/shop/orders", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/orders/search", "perm shop.manage", "owner admin shop"},
	{"GET /admin/shop/orders/{id}", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/orders/{id}/refund", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/orders/{id}/resend", "perm shop.manage", "owner admin shop"},
	{"POST /admin/shop/orders/{id}/revoke", "perm shop.manage", "owner admin shop"},
	{"GET /admin/shop/report", "perm shop.manage", "owner admin shop"},
	{"GET /admin/outbox", "perm mail.outbox", "owner admin"},
	{"GET /admin/outbox/{id}", "perm mail.outbox", "owner admin"},
	{"POST /admin/outbox/{id}/requeue", "perm mail.outbox", "owner admin"},
	// Data requests: the posts, sent empty, are refused as invalid and change nothing.
	{"GET /admin/data-requests", "perm privacy.requests", "owner admin"},
	{"POST /admin/data-requests/find", "perm privacy.requests", "owner admin"},
	{"POST /admin/data-requests/export", "perm privacy.requests", "owner admin"},
	{"POST /admin/data-requests/erase", "perm privacy.requests", "owner admin"},
	// The Promises page: the post runs every check (nothing planted: all green).
	{"GET /admin/promises", "perm settings.manage", "owner admin"},
	{"POST /admin/promises/run", "perm settings.manage", "owner admin"},

	{"GET /admin/staff", "perm staff.manage", "owner"},
	{"POST /admin/staff", "perm staff.manage", "owner"},
	{"GET /admin/staff/{id}", "perm staff.manage", "owner"},
	{"POST /admin/staff/{id}/{action}", "perm staff.manage", "owner"},
	{"POST /admin/settings/require-2fa", "perm staff.manage", "owner"},
	{"GET /admin/audit", "perm audit.view", "owner"},
	{"GET /api/v1/audit", "perm audit.view api", "owner"},
}

func accessText(rt route) string {
	var s string
	switch {
	case rt.Access.bearer:
		s = "token"
	case rt.Access.public:
		s = "public"
	case rt.Access.perm != "":
		s = "perm " + string(rt.Access.perm)
	case rt.Access.setup:
		s = "setup"
	default:
		s = "member"
	}
	if rt.Access.perm != "" && rt.Access.setup {
		s += " setup"
	}
	if rt.API {
		s += " api"
	}
	return s
}

// routePath turns a pattern into a concrete request path.
func (e *env) routePath(pattern string, id int64) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	if p, ok := e.shopPaths[pattern]; ok {
		return method, p
	}
	css, err := e.srv.assets.url("admin.css")
	if err != nil {
		e.t.Fatal(err)
	}
	path = strings.NewReplacer(
		"{$}", "",
		"{id}", strconv.FormatInt(id, 10),
		"{action}", "no-such-action", // an allowed caller gets 404, and nothing changes
		"{token}", "no-such-token",
		"/antibot/challenge", "/antibot/challenge?form=subscribe",
		"/admin/inbox/export", "/admin/inbox/export?format=csv&ids="+strconv.FormatInt(id, 10),
		"/static/{file}", css,
		"/admin/stats/export.csv", "/admin/stats/export.csv?site=shop",
	).Replace(path)
	if pattern == "GET /my-data/view" {
		path += "?t=no-such-token"
	}
	return method, path
}

// Promise: only authorized personnel access personal data. Every route's access rule
// is pinned, and enforced: anonymous callers are sent to sign in (pages) or refused
// (APIs, posts); each role is refused exactly the routes its permissions do not cover.
func TestRouteTable(t *testing.T) {
	e := newEnv(t)
	routes := e.srv.routes()
	if len(routes) != len(wantRoutes) {
		t.Errorf("%d routes; the pinned table has %d", len(routes), len(wantRoutes))
	}
	got := map[string]string{}
	for _, rt := range routes {
		if _, dup := got[rt.Pattern]; dup {
			t.Errorf("route %q is listed twice", rt.Pattern)
		}
		got[rt.Pattern] = accessText(rt)
	}
	pinned := map[string]bool{}
	for _, w := range wantRoutes {
		pinned[w.pattern] = true
		switch a, ok := got[w.pattern]; {
		case !ok:
			t.Errorf("route %q (%s) is gone", w.pattern, w.access)
		case a != w.access:
			t.Errorf("route %q: access %q; pinned %q", w.pattern, a, w.access)
		}
	}
	for _, rt := range routes {
		if !pinned[rt.Pattern] {
			t.Errorf("new route %q (%s) is not in the pinned table", rt.Pattern, accessText(rt))
		}
	}
	if t.Failed() {
		t.Fatal("the route table changed: decide the access of each route and update wantRoutes")
	}

	// The concrete paths below must reach the route they stand for.
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.Handle(rt.Pattern, http.NotFoundHandler())
	}
	target := e.add("target@example.com", staff.Support)
	e.staffSideFixtures(target.ID)
	e.inboxFixture(target.ID)
	statsFixture(t, e, true)
	shopFixture(t, e)
	for _, w := range wantRoutes {
		method, path := e.routePath(w.pattern, target.ID)
		req, _ := http.NewRequest(method, e.ts.URL+path, nil)
		if _, p := mux.Handler(req); p != w.pattern {
			t.Fatalf("%s %s reaches %q; want %q", method, path, p, w.pattern)
		}
	}

	t.Run("anonymous", func(t *testing.T) {
		anon := e.client()
		forged := e.client()
		forged.hdr.Set("Cookie", sessionCookie+"=forged-token-value")
		for _, w := range wantRoutes {
			method, path := e.routePath(w.pattern, target.ID)
			if w.access == "public" {
				if method == http.MethodGet {
					// Public pages answer anyone: 200, or 404 for a made-up link token.
					r := anon.get(path)
					if r.StatusCode != http.StatusOK && !((strings.Contains(w.pattern, "{token}") || strings.HasPrefix(w.pattern, "GET /my-data/view")) && r.StatusCode == http.StatusNotFound) {
						t.Errorf("%s as anonymous = %d; want 200\n%.300s", w.pattern, r.StatusCode, r.body)
					}
				}
				continue
			}
			for _, c := range []*client{anon, forged} {
				var r resp
				if method == http.MethodGet {
					r = c.get(path)
				} else {
					r = c.post(path, url.Values{})
				}
				switch {
				case strings.HasSuffix(w.access, " api"):
					want(t, r, http.StatusUnauthorized)
					if w.access == "token api" && r.Header.Get("WWW-Authenticate") == "" {
						t.Errorf("%s: 401 without a WWW-Authenticate challenge", w.pattern)
					}
					if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || r.errorCode(t) != "unauthorized" {
						t.Errorf("%s: %s %s\n%s; want a JSON unauthorized error", w.pattern, r.Header.Get("Content-Type"), r.Status, r.body)
					}
				case method == http.MethodGet:
					wantRedirect(t, r, "/admin/login?next="+url.QueryEscape(path))
				default:
					want(t, r, http.StatusUnauthorized)
				}
			}
		}
	})

	t.Run("roles", func(t *testing.T) {
		clients := map[staff.Role]*client{}
		for _, role := range staff.Roles {
			clients[role], _ = e.signedIn(string(role)+"@example.com", role)
		}
		check := func(w struct{ pattern, access, roles string }, role staff.Role) {
			t.Helper()
			c := clients[role]
			method, path := e.routePath(w.pattern, target.ID)
			var r resp
			if method == http.MethodGet {
				r = c.get(path)
			} else {
				r = c.post(path, url.Values{})
			}
			allowed := w.roles == "all" || strings.Contains(" "+w.roles+" ", " "+string(role)+" ")
			switch {
			case w.access == "token api":
				if r.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s with %s's session cookie = %d; want 401 (a token only)", w.pattern, role, r.StatusCode)
				}
				return
			case !allowed && r.StatusCode != http.StatusForbidden:
				t.Errorf("%s as %s = %d; want 403\n%.500s", w.pattern, role, r.StatusCode, r.body)
			case allowed && method == http.MethodGet && r.StatusCode != http.StatusOK:
				t.Errorf("%s as %s = %d; want 200\n%.500s", w.pattern, role, r.StatusCode, r.body)
			case allowed && (r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusUnauthorized ||
				strings.HasPrefix(r.Header.Get("Location"), "/admin/login?")):
				t.Errorf("%s as %s = %d (Location %q); want it allowed\n%.500s", w.pattern, role, r.StatusCode, r.Header.Get("Location"), r.body)
			}
			if !allowed && strings.Contains(w.access, "api") && r.errorCode(t) != "forbidden" {
				t.Errorf("%s as %s: %s; want a JSON forbidden error", w.pattern, role, r.body)
			}
		}
		var logout struct{ pattern, access, roles string }
		for _, w := range wantRoutes {
			if w.access == "public" {
				continue
			}
			if w.pattern == "POST /admin/logout" {
				logout = w // last: it ends the session the other checks use
				continue
			}
			for _, role := range staff.Roles {
				check(w, role)
			}
		}
		for _, role := range staff.Roles {
			check(logout, role)
			want(t, clients[role].get("/api/v1/me"), http.StatusUnauthorized)
		}
	})
}
