package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// The dashboard's and the API's scope parameters: a step that cannot be drawn or a
// filter of no dimension is refused by the API (400) and ignored, with a note, by the
// dashboard; staff with stats.view add and delete goals, which then show on the page.
func TestStatsScopeParamsAndGoals(t *testing.T) {
	e := newEnv(t)
	bypassFixture(t, e, 5)
	c, _ := e.signedIn("analyst@staff.example", staff.Analyst)
	_, secret, err := e.srv.statsPages.statsTokens.Create(e.ctx, staff.CLI, "scope test", 0)
	if err != nil {
		t.Fatal(err)
	}
	api := e.client()
	api.hdr.Set("Authorization", "Bearer "+secret)
	for _, q := range []string{"by=hour", "by=year", "filter=nope:x", "filter=page:(other)", "filter=hour:09", "filter=country:IS&by=hour&from=2026-01-01&to=2026-01-01"} {
		r := api.get("/api/stats?site=shop&" + q)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, `"invalid"`) {
			t.Errorf("GET /api/stats?%s = %d %s; want 400 invalid", q, r.StatusCode, r.body)
		}
	}
	r := c.get("/admin/stats?filter=nope:x")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, "That filter names no dimension") || strings.Contains(r.body, "Filtered by") {
		t.Errorf("a bad filter was not ignored with a note")
	}
	r = c.get("/admin/stats?filter=country:US&by=hour")
	if !strings.Contains(r.body, "Filtered by <strong>Country: US</strong>") || !strings.Contains(r.body, "per day") {
		t.Errorf("a filter by hour is not drawn by day under its note")
	}

	goals, err := e.srv.statsPages.statsGoals.List(e.ctx, staff.CLI, 1)
	if err != nil || len(goals) != 2 {
		t.Fatalf("fixture goals: %v %v", goals, err)
	}
	site := strconv.FormatInt(goals[0].SiteID, 10)
	wantRedirect(t, c.post("/admin/stats/goals", url.Values{"site": {site}, "kind": {"event"}, "value": {"download"}}), "/admin/stats?done=goal-added&site="+site+"#goals")
	want(t, c.post("/admin/stats/goals", url.Values{"site": {site}, "kind": {"page"}, "value": {"no-slash"}}), http.StatusBadRequest)
	if r := c.get("/admin/stats"); !strings.Contains(r.body, "Event: download") || !strings.Contains(r.body, "Page: /pricing") {
		t.Errorf("the dashboard lacks its goals")
	}
	wantRedirect(t, c.post("/admin/stats/goals/"+strconv.FormatInt(goals[1].ID, 10)+"/delete", url.Values{"site": {site}}), "/admin/stats?done=goal-deleted&site="+site+"#goals")
	want(t, c.post("/admin/stats/goals/"+strconv.FormatInt(goals[1].ID, 10)+"/delete", url.Values{"site": {site}}), http.StatusNotFound)
	if r := c.get("/admin/stats"); strings.Contains(r.body, "Page: /pricing") {
		t.Errorf("a deleted goal is still shown")
	}
}
