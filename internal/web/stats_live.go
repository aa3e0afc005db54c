package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Two additions to the statistics dashboard: the visitors of the last five minutes
// (counted in this instance's memory, suppressed below k like every cell), and the
// opt-in to the weekly statistics mail (per member and site).

// LiveCounter reports the visitors of a site in the last five minutes, suppression
// applied (analytics.Aggregator).
type LiveCounter interface {
	Live(actor staff.Principal, siteID int64) (analytics.LiveVisitors, error)
}

// StatsMail is the opt-in to the weekly statistics mail (analytics.Weekly).
type StatsMail interface {
	Subscribed(ctx context.Context, actor staff.Principal, siteID int64) (bool, error)
	Subscribe(ctx context.Context, actor staff.Principal, siteID int64, on bool) error
}

// liveLabel is the dashboard's figure of the last five minutes: a number, "< k", or ""
// when there is no live count.
func (s *statsPages) liveLabel(actor staff.Principal, siteID int64, k int) (string, error) {
	if s.live == nil {
		return "", nil
	}
	lv, err := s.live.Live(actor, siteID)
	if err != nil {
		return "", err
	}
	return analytics.Label(lv.Visitors, lv.Suppressed, k), nil
}

// liveExport is the JSON API's answer: the export and, from this instance's memory,
// the visitors of the last five minutes.
type liveExport struct {
	analytics.Export
	LiveVisitors *analytics.LiveVisitors `json:"live_visitors,omitempty"`
}

func (s *statsPages) withLive(x analytics.Export, p staff.Principal, siteID int64) (liveExport, error) {
	out := liveExport{Export: x}
	if s.live != nil {
		lv, err := s.live.Live(p, siteID)
		if err != nil {
			return out, err
		}
		out.LiveVisitors = &lv
	}
	return out, nil
}

// statsReportSubscription is POST /admin/stats/report-subscription: site=ID and
// weekly=on to receive the weekly mail, without weekly to stop it. It returns to the
// dashboard of that site.
func (s *statsPages) statsReportSubscription(w http.ResponseWriter, r *http.Request) {
	if s.statsMail == nil || s.siteList == nil {
		s.fail(w, r, errs.E(errs.NotFound, "Statistics are not enabled."))
		return
	}
	actor := principal(r)
	id, err := strconv.ParseInt(r.PostFormValue("site"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, errs.InvalidField("site", "Choose a site."))
		return
	}
	on := r.PostFormValue("weekly") == "on"
	if err := s.statsMail.Subscribe(r.Context(), actor, id, on); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "weekly-off"
	if on {
		done = "weekly-on"
	}
	q := url.Values{"site": {strconv.FormatInt(id, 10)}, "done": {done}}
	http.Redirect(w, r, "/admin/stats?"+q.Encode(), http.StatusSeeOther)
}

// statsFlashes are the dashboard's notices after a post.
var statsFlashes = map[string]string{
	"weekly-on":    "You will receive a weekly summary of this site by email, each Monday.",
	"weekly-off":   "You will no longer receive the weekly summary of this site.",
	"goal-added":   "Goal added.",
	"goal-deleted": "Goal deleted.",
}
