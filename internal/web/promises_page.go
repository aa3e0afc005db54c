package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/promises"
	"github.com/candor-dev/candor/internal/staff"
)

// Promises is what the Promises page asks of the privacy checks (promises.Daily, built
// by internal/cli over the inputs of `candor audit privacy`): the last stored result of
// every check, and a run now through the daily job's own code path. Both check that
// the member has staff.ManageSettings.
type Promises interface {
	Latest(ctx context.Context, by staff.Principal) ([]promises.Result, error)
	RunNow(ctx context.Context, by staff.Principal) ([]promises.Result, error)
}

// promisePages is the admin Promises page (owners, admins): each promise of the privacy
// policy, the checks behind it and their last results, and a button to run them now.
// Messages and listings name places and counts, never a value found (promises' rule).
type promisePages struct {
	*pages
	checks Promises // nil: the page says the checks do not run in this server
}

// promiseState is a promise's or a check's colour on the page.
type promiseState string

const (
	stateGreen promiseState = "ok"      // every check behind it is ok
	stateRed   promiseState = "red"     // a finding, or a check that could not run
	stateGrey  promiseState = "not-run" // a check has never run (and none is red)
)

// promiseCheck is one check as the page shows it: its last result and what it verifies.
type promiseCheck struct {
	promises.Result
	Help  string // what the check looks at and when it is red (promises.Check.Help)
	State promiseState
}

// promiseGroup is one promise of the policy with the checks that back it.
type promiseGroup struct {
	Promise string
	State   promiseState
	Checks  []promiseCheck
}

type promisesData struct {
	Groups          []promiseGroup
	Red, OK, NotRun int       // checks by colour
	LastRun         time.Time // the latest run of any check (zero: none has run)
	Unavailable     bool      // no checks in this server (Deps.Promises unset)
}

func stateOf(r promises.Result) promiseState {
	switch {
	case r.Red():
		return stateRed
	case r.Status == promises.StatusOK:
		return stateGreen
	}
	return stateGrey
}

// groupByPromise groups the results by promise, in the order the checks first name
// them, red promises first; a promise is red when any check behind it is, grey when
// one has not run.
func groupByPromise(results []promises.Result) promisesData {
	help := map[string]string{}
	for _, c := range promises.Checks() {
		help[c.ID] = strings.ToUpper(c.Help[:1]) + c.Help[1:] // "Red when …"
	}
	var d promisesData
	at := map[string]int{}
	for _, r := range results {
		c := promiseCheck{Result: r, Help: help[r.ID], State: stateOf(r)}
		switch c.State {
		case stateRed:
			d.Red++
		case stateGreen:
			d.OK++
		default:
			d.NotRun++
		}
		if r.RanAt.After(d.LastRun) {
			d.LastRun = r.RanAt
		}
		i, ok := at[r.Promise]
		if !ok {
			i = len(d.Groups)
			at[r.Promise] = i
			d.Groups = append(d.Groups, promiseGroup{Promise: r.Promise, State: stateGreen})
		}
		g := &d.Groups[i]
		g.Checks = append(g.Checks, c)
		if c.State == stateRed || (c.State == stateGrey && g.State == stateGreen) {
			g.State = c.State
		}
	}
	// Red promises first, then those not checked yet: what needs a look comes first.
	rank := map[promiseState]int{stateRed: 0, stateGrey: 1, stateGreen: 2}
	slices.SortStableFunc(d.Groups, func(a, b promiseGroup) int { return rank[a.State] - rank[b.State] })
	return d
}

// promisesPage shows every promise with its status and the checks behind it.
func (s *promisePages) promisesPage(w http.ResponseWriter, r *http.Request) {
	if s.checks == nil {
		s.render(w, r, http.StatusOK, "promises", page{Title: "Promises", Nav: "promises", Data: promisesData{Unavailable: true}})
		return
	}
	results, err := s.checks.Latest(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var flash string
	if r.URL.Query().Get("done") == "checks-ran" {
		flash = "The checks ran just now; the results are below."
	}
	s.render(w, r, http.StatusOK, "promises", page{Title: "Promises", Nav: "promises", Flash: flash, Data: groupByPromise(results)})
}

// promisesRun runs every check now, as the daily job does (results kept, owners mailed
// when one turns red), and shows the page again.
func (s *promisePages) promisesRun(w http.ResponseWriter, r *http.Request) {
	if s.checks == nil {
		http.Redirect(w, r, "/admin/promises", http.StatusSeeOther)
		return
	}
	if _, err := s.checks.RunNow(r.Context(), principal(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	redirectFlash(w, r, "/admin/promises", "checks-ran")
}

// navAlerts marks the Promises item of the navigation red, for members who may open
// the page, while any check is red. It reads the few stored results on every staff
// page such a member opens; a failure marks nothing (the page itself reports it).
func (s *promisePages) navAlerts(ctx context.Context, m staff.Member) map[string]bool {
	if s.checks == nil || !m.Role.Can(staff.ManageSettings) {
		return nil
	}
	results, err := s.checks.Latest(ctx, m.Principal())
	if err != nil {
		s.log.Warn("reading the privacy checks for the navigation", "error", err)
		return nil
	}
	for _, r := range results {
		if r.Red() {
			return map[string]bool{"promises": true}
		}
	}
	return nil
}
