package analytics_test

import (
	"context"
	"testing"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// Promise: staff who may see the statistics define a site's goals (an event or a page),
// others may not; a duplicate is a conflict, a bad one invalid; creation and deletion
// are audited. Runs on the dialect testkit/dbtest chooses.
func TestGoals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	log := audit.New(sqldb.AuditStore{DB: e.db}, func(purpose, v string) string { return staff.HashToken(purpose + v) })
	goals := analytics.NewGoals(sqldb.StatsGoalStore{DB: e.db}, log, e.clock.Now)
	analyst := staff.Principal{ID: 3, Role: staff.Analyst, Name: "staff:3"}

	if _, err := goals.Create(ctx, staff.Principal{ID: 4, Role: staff.Support}, e.site.ID, analytics.GoalEvent, "download"); !errs.Is(err, errs.Forbidden) {
		t.Errorf("support created a goal: %v", err)
	}
	buy, err := goals.Create(ctx, analyst, e.site.ID, analytics.GoalPage, " /buy?x=1 ")
	if err != nil || buy.Value != "/buy" {
		t.Fatalf("page goal: %+v %v", buy, err)
	}
	if _, err := goals.Create(ctx, analyst, e.site.ID, analytics.GoalEvent, "download"); err != nil {
		t.Fatal(err)
	}
	if _, err := goals.Create(ctx, analyst, e.site.ID, analytics.GoalPage, "/buy"); !errs.Is(err, errs.Conflict) {
		t.Errorf("duplicate goal: %v", err)
	}
	for _, bad := range [][2]string{{analytics.GoalPage, "buy"}, {analytics.GoalEvent, " "}, {"cookie", "x"}} {
		if _, err := goals.Create(ctx, analyst, e.site.ID, bad[0], bad[1]); !errs.Is(err, errs.Invalid) {
			t.Errorf("goal %q: %v", bad, err)
		}
	}
	if err := goals.Delete(ctx, analyst, e.site.ID, buy.ID); err != nil {
		t.Fatal(err)
	}
	if err := goals.Delete(ctx, analyst, e.site.ID, buy.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("deleted twice: %v", err)
	}
	list, err := goals.List(ctx, analyst, e.site.ID)
	if err != nil || len(list) != 1 || list[0].Label() != "Event: download" {
		t.Errorf("goals: %+v %v", list, err)
	}
	entries, err := log.List(ctx, audit.Filter{Action: "stats.goal."})
	if err != nil || len(entries) != 3 {
		t.Errorf("audit: %d entries, want 3 (two creations, one deletion): %v", len(entries), err)
	}
}
