package analytics

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics/classify"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Goal is something staff want visitors to reach on a site: a custom event (by name) or
// a page (by its path, as the page table shows it). Reports give each goal its
// visitors and its conversion rate, small-count suppression applied.
type Goal struct {
	ID        int64     `json:"id"`
	SiteID    int64     `json:"site_id"`
	Kind      string    `json:"kind"`  // GoalEvent or GoalPage
	Value     string    `json:"value"` // the event's name or the page's path
	CreatedAt time.Time `json:"created_at"`
}

// The kinds of goal.
const (
	GoalEvent = "event"
	GoalPage  = "page"
)

// Dim is the dimension whose cells count the goal's visitors.
func (g Goal) Dim() string {
	if g.Kind == GoalPage {
		return DimPage
	}
	return DimEvent
}

// Label names the goal for people: "Event: download", "Page: /buy".
func (g Goal) Label() string {
	if g.Kind == GoalPage {
		return "Page: " + g.Value
	}
	return "Event: " + g.Value
}

// GoalStore keeps goals. DeleteGoal returns not_found for an unknown id; AddGoal
// returns conflict when the site already has that goal.
type GoalStore interface {
	AddGoal(ctx context.Context, g Goal) (Goal, error)
	Goals(ctx context.Context, siteID int64) ([]Goal, error)
	DeleteGoal(ctx context.Context, siteID, id int64) (Goal, error)
}

// maxGoals bounds the goals of one site (the dashboard shows them all).
const maxGoals = 20

// Goals lets staff with staff.ViewStats define, list and delete a site's goals; every
// change is audited.
type Goals struct {
	store GoalStore
	audit Auditor
	now   func() time.Time
}

// NewGoals returns the goal manager; now may be nil (time.Now).
func NewGoals(store GoalStore, audit Auditor, now func() time.Time) *Goals {
	if now == nil {
		now = time.Now
	}
	return &Goals{store: store, audit: audit, now: now}
}

// List returns a site's goals, oldest first. The actor needs staff.ViewStats.
func (g *Goals) List(ctx context.Context, actor staff.Principal, siteID int64) ([]Goal, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return nil, err
	}
	return g.store.Goals(ctx, siteID)
}

// Create adds a goal to a site: kind GoalEvent with an event name, or GoalPage with a
// path (normalised as paths are counted: "/buy/" and "/buy" differ, a page's query
// string is dropped). The actor needs staff.ViewStats; the creation is audited.
func (g *Goals) Create(ctx context.Context, actor staff.Principal, siteID int64, kind, value string) (Goal, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return Goal{}, err
	}
	value = strings.TrimSpace(value)
	switch kind {
	case GoalEvent:
		value = clip(classify.ScrubWords(value), MaxEventName)
	case GoalPage:
		value, _, _ = strings.Cut(value, "?")
		value = clip(classify.Scrub(value), maxDimensionValue)
		if !strings.HasPrefix(value, "/") {
			return Goal{}, errs.InvalidField("value", "A page goal is a path that starts with /, such as /buy.")
		}
	default:
		return Goal{}, errs.InvalidField("kind", "A goal is an event or a page.")
	}
	if value == "" {
		return Goal{}, errs.InvalidField("value", "Name the event or the page.")
	}
	have, err := g.store.Goals(ctx, siteID)
	if err != nil {
		return Goal{}, err
	}
	if len(have) >= maxGoals {
		return Goal{}, errs.E(errs.Invalid, "A site has at most "+strconv.Itoa(maxGoals)+" goals; delete one first.")
	}
	goal, err := g.store.AddGoal(ctx, Goal{SiteID: siteID, Kind: kind, Value: value, CreatedAt: g.now().UTC()})
	if err != nil {
		return Goal{}, err
	}
	return goal, g.audit.Record(ctx, actor.Name, "stats.goal.create", goalSubject(goal.ID),
		"site", strconv.FormatInt(siteID, 10), "kind", kind, "value", value)
}

// Delete removes a site's goal. The actor needs staff.ViewStats; the deletion is audited.
func (g *Goals) Delete(ctx context.Context, actor staff.Principal, siteID, id int64) error {
	if err := actor.Require(staff.ViewStats); err != nil {
		return err
	}
	goal, err := g.store.DeleteGoal(ctx, siteID, id)
	if err != nil {
		return err
	}
	return g.audit.Record(ctx, actor.Name, "stats.goal.delete", goalSubject(id),
		"site", strconv.FormatInt(siteID, 10), "kind", goal.Kind, "value", goal.Value)
}

func goalSubject(id int64) string { return "stats-goal:" + strconv.FormatInt(id, 10) }

// GoalResult is one goal's figures over a report's range: its visitors (those counted on
// the goal's event or page, summed over the days) and its conversion rate, visitors of
// the goal per visitor of the site. A Suppressed result stands for fewer than k
// visitors (or the site's total does): no numbers.
type GoalResult struct {
	Goal       Goal    `json:"goal"`
	Suppressed bool    `json:"suppressed,omitempty"`
	Visitors   int64   `json:"visitors"`
	Conversion float64 `json:"conversion"` // 0–1
}

// goalResult applies suppression to one goal's sums.
func (r *Reports) goalResult(g Goal, s, total sums) GoalResult {
	if s.visitors < int64(r.k) || total.visitors < int64(r.k) {
		return GoalResult{Goal: g, Suppressed: true}
	}
	return GoalResult{Goal: g, Visitors: s.visitors, Conversion: min(float64(s.visitors)/float64(total.visitors), 1)}
}
