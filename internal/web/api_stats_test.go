package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/staff"
)

var shownSecret = regexp.MustCompile(`cst_[A-Za-z0-9_-]{43}`)

// Promise: only authorized personnel reach the statistics. The API answers a valid,
// unrevoked bearer token only (never a session cookie or a token in the query string),
// stays within the token's site, refuses bad input with a JSON error, and limits each
// token's rate. Staff create a token on the statistics page, see its secret once, and
// revoke it with immediate effect.
func TestStatsAPIAndTokens(t *testing.T) {
	e := newEnv(t)
	statsFixture(t, e, true)
	analyst, member := e.signedIn("analyst@staff.example", staff.Analyst)
	want(t, analyst.get("/admin/stats/tokens"), http.StatusOK)
	r := analyst.post("/admin/stats/tokens", url.Values{"name": {"report script"}, "site": {"0"}})
	want(t, r, http.StatusOK)
	secret := shownSecret.FindString(r.body)
	if secret == "" {
		t.Fatalf("the new token's secret is not shown:\n%s", r.body)
	}
	e.canary(secret)
	e.scenarios(t, []scenario{{Name: "the token list never shows the secret again", As: analyst, URL: "/admin/stats/tokens",
		Status: http.StatusOK, Contains: []string{"report script"}, NotContains: []string{secret}}})
	if r := analyst.post("/admin/stats/tokens", url.Values{"name": {""}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a token without a name: %d; want 400", r.StatusCode)
	}

	bearer := e.client()
	bearer.hdr.Set("Authorization", "Bearer "+secret)
	r = bearer.get("/api/stats?site=shop")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, `"site":"shop"`) || !strings.Contains(r.body, `"daily":[`) || strings.Contains(r.body, "lonely-") {
		t.Errorf("/api/stats: %.500s", r.body)
	}
	for _, tc := range []struct{ query, field string }{
		{"site=nosuch", "site"}, {"", "site"}, {"site=shop&from=2026-13-01", "from"}, {"site=shop&to=yesterday", "to"},
		{"site=shop&from=2026-03-05&to=2026-03-01", ""}, {"site=shop&from=2020-01-01&to=2026-01-01", ""},
	} {
		r := bearer.get("/api/stats?" + tc.query)
		if r.StatusCode != http.StatusBadRequest || r.errorCode(t) != "invalid" {
			t.Errorf("/api/stats?%s = %d %s; want a 400 JSON invalid error", tc.query, r.StatusCode, r.body)
		}
	}

	for name, c := range map[string]*client{"no token": e.client(), "query token": e.client(), "wrong token": e.client(), "basic": e.client()} {
		path := "/api/stats?site=shop"
		switch name {
		case "query token":
			path += "&token=" + url.QueryEscape(secret) + "&access_token=" + url.QueryEscape(secret)
		case "wrong token":
			wrong := "A"
			if strings.HasSuffix(secret, wrong) { // the secret is random: make sure the token differs
				wrong = "B"
			}
			c.hdr.Set("Authorization", "Bearer "+secret[:len(secret)-1]+wrong)
		case "basic":
			c.hdr.Set("Authorization", "Basic "+secret)
		}
		r := c.get(path)
		if r.StatusCode != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" || r.errorCode(t) != "unauthorized" {
			t.Errorf("%s: %d %q; want 401 with a challenge", name, r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
	}
	if r := analyst.get("/api/stats?site=shop"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a session cookie reads the API: %d; want 401", r.StatusCode)
	}
	// A token is worth no more than its creator: while they may not view statistics
	// (disabled, or moved to a role without them), neither may it.
	for _, step := range []struct {
		name   string
		change func() (staff.Member, error)
		status int
	}{
		{"creator disabled", func() (staff.Member, error) { return e.staff.Disable(e.ctx, staff.CLI, member.ID) }, http.StatusUnauthorized},
		{"creator enabled", func() (staff.Member, error) { return e.staff.Enable(e.ctx, staff.CLI, member.ID) }, http.StatusOK},
		{"creator now support", func() (staff.Member, error) { return e.staff.SetRole(e.ctx, staff.CLI, member.ID, staff.Support) }, http.StatusUnauthorized},
		{"creator analyst again", func() (staff.Member, error) { return e.staff.SetRole(e.ctx, staff.CLI, member.ID, staff.Analyst) }, http.StatusOK},
	} {
		if _, err := step.change(); err != nil {
			t.Fatal(err)
		}
		if r := bearer.get("/api/stats?site=shop"); r.StatusCode != step.status {
			t.Errorf("%s: the token's request answered %d; want %d", step.name, r.StatusCode, step.status)
		}
	}
	analyst = e.client() // disabling ended the analyst's sessions
	analyst.signIn("analyst@staff.example", testPassword)

	site, _ := e.srv.statsPages.siteList.List(e.ctx, staff.CLI)
	_, scoped, err := e.srv.statsPages.statsTokens.Create(e.ctx, staff.CLI, "other site only", site[0].ID+1000)
	if err == nil {
		t.Fatalf("a token for a site that does not exist was created (%s)", scoped)
	}
	blog, err := e.srv.statsPages.siteList.(*analytics.Sites).Add(e.ctx, staff.CLI, "blog", "blog.example.com")
	if err != nil {
		t.Fatal(err)
	}
	_, scoped, err = e.srv.statsPages.statsTokens.Create(e.ctx, staff.CLI, "blog only", blog.ID)
	if err != nil {
		t.Fatal(err)
	}
	blogOnly := e.client()
	blogOnly.hdr.Set("Authorization", "Bearer "+scoped)
	want(t, blogOnly.get("/api/stats?site=blog"), http.StatusOK)
	if r := blogOnly.get("/api/stats.csv?site=shop"); r.StatusCode != http.StatusForbidden || r.errorCode(t) != "forbidden" {
		t.Errorf("a blog-only token reads the shop: %d %s", r.StatusCode, r.body)
	}
	tokens, _ := e.srv.statsPages.statsTokens.List(e.ctx, staff.CLI)
	tokens = tokens[len(tokens)-1:] // the first one made: "report script"
	revoke := analyst.post("/admin/stats/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/revoke", url.Values{})
	if revoke.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", revoke.StatusCode)
	}
	if r := bearer.get("/api/stats?site=shop"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a revoked token still reads the API: %d", r.StatusCode)
	}
	entries, err := e.srv.auditPages.audit.List(e.ctx, audit.Filter{Action: "stats.token."})
	if err != nil || len(entries) != 3 { // two creations, one revocation
		t.Errorf("audit entries for create and revoke: %d, %v", len(entries), err)
	}
}

// Promise: each token is rate-limited; a flood answers 429 without reading the database.
func TestStatsAPIRateLimit(t *testing.T) {
	e := newEnv(t)
	statsFixture(t, e, true)
	_, secret, err := e.srv.statsPages.statsTokens.Create(e.ctx, staff.CLI, "flood", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.hdr.Set("Authorization", "Bearer "+secret)
	limited := false
	for range statsAPIBurst + 5 {
		if r := c.get("/api/stats.csv?site=shop"); r.StatusCode == http.StatusTooManyRequests {
			limited = r.Header.Get("Retry-After") != ""
			break
		}
	}
	if !limited {
		t.Error("no 429 with Retry-After after the burst")
	}
}

// Promise: guessing tokens is rate-limited per client address, before any token is
// looked up: a flood of wrong tokens from one address is answered 429 after twice a
// token's burst.
func TestStatsAPIGuessingIsLimitedPerAddress(t *testing.T) {
	e := newEnv(t)
	statsFixture(t, e, true)
	c := e.client()
	unauthorized, limited := 0, false
	for i := range 10 * statsAPIBurst { // stops at the first 429; room for refills on a slow machine
		c.hdr.Set("Authorization", "Bearer "+analytics.TokenPrefix+strconv.Itoa(i))
		switch r := c.get("/api/stats?site=shop"); r.StatusCode {
		case http.StatusUnauthorized:
			unauthorized++
		case http.StatusTooManyRequests:
			limited = r.Header.Get("Retry-After") != "" && r.errorCode(t) == "rate_limited"
		default:
			t.Fatalf("a wrong token: %d", r.StatusCode)
		}
		if limited {
			break
		}
	}
	if !limited || unauthorized < 2*statsAPIBurst {
		t.Fatalf("%d wrong tokens answered 401, then limited: %v; want a burst of %d, then 429 with Retry-After", unauthorized, limited, 2*statsAPIBurst)
	}
}
