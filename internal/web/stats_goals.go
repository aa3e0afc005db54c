package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Goals on the statistics page: staff with stats.view add a custom event or a page as a
// goal of a site, and the dashboard shows each goal's visitors and conversion rate
// (analytics.Reports, suppression applied). Creation and deletion are audited by the domain.

// StatsGoals manages the goals of the sites (analytics.Goals).
type StatsGoals interface {
	List(ctx context.Context, actor staff.Principal, siteID int64) ([]analytics.Goal, error)
	Create(ctx context.Context, actor staff.Principal, siteID int64, kind, value string) (analytics.Goal, error)
	Delete(ctx context.Context, actor staff.Principal, siteID, id int64) error
}

// statsGoal is one goal's line on the dashboard.
type statsGoal struct {
	ID                          int64
	Value, Visitors, Conversion string
	Suppressed                  bool
	Bar                         int
}

// goalsOf lists a site's goals, none when goals are not offered.
func (s *statsPages) goalsOf(ctx context.Context, actor staff.Principal, siteID int64) ([]analytics.Goal, error) {
	if s.statsGoals == nil {
		return nil, nil
	}
	return s.statsGoals.List(ctx, actor, siteID)
}

// statsGoalsOf turns a report's goal figures into the dashboard's lines.
func statsGoalsOf(rep analytics.Report) []statsGoal {
	var out []statsGoal
	for _, g := range rep.Goals {
		sg := statsGoal{ID: g.Goal.ID, Value: g.Goal.Label(), Suppressed: g.Suppressed,
			Visitors: analytics.Label(g.Visitors, g.Suppressed, rep.MinCount), Conversion: analytics.Label(0, true, rep.MinCount)}
		if !g.Suppressed {
			sg.Conversion = fmt.Sprintf("%.1f %%", g.Conversion*100)
			sg.Bar = max(int(g.Conversion*20+0.5)*5, 5)
		}
		out = append(out, sg)
	}
	return out
}

// statsGoalCreate is POST /admin/stats/goals: site=ID, kind=event|page, value=NAME or
// PATH. It returns to the dashboard of that site.
func (s *statsPages) statsGoalCreate(w http.ResponseWriter, r *http.Request) {
	site, ok := s.goalSite(w, r)
	if !ok {
		return
	}
	if _, err := s.statsGoals.Create(r.Context(), principal(r), site, r.PostFormValue("kind"), r.PostFormValue("value")); err != nil {
		s.fail(w, r, err)
		return
	}
	goalRedirect(w, r, site, "goal-added")
}

// statsGoalDelete is POST /admin/stats/goals/{id}/delete: site=ID.
func (s *statsPages) statsGoalDelete(w http.ResponseWriter, r *http.Request) {
	site, ok := s.goalSite(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errs.E(errs.NotFound, "No such goal."))
		return
	}
	if err := s.statsGoals.Delete(r.Context(), principal(r), site, id); err != nil {
		s.fail(w, r, err)
		return
	}
	goalRedirect(w, r, site, "goal-deleted")
}

// goalSite reads the form's site, answering the error itself.
func (s *statsPages) goalSite(w http.ResponseWriter, r *http.Request) (int64, bool) {
	if s.statsGoals == nil {
		s.fail(w, r, errs.E(errs.NotFound, "Statistics are not enabled."))
		return 0, false
	}
	id, err := strconv.ParseInt(r.PostFormValue("site"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, errs.InvalidField("site", "Choose a site."))
		return 0, false
	}
	return id, true
}

func goalRedirect(w http.ResponseWriter, r *http.Request, site int64, done string) {
	q := url.Values{"site": {strconv.FormatInt(site, 10)}, "done": {done}}
	http.Redirect(w, r, "/admin/stats?"+q.Encode()+"#goals", http.StatusSeeOther)
}
