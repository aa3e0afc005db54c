package promises

import (
	"context"
	"fmt"
	"time"
)

// Status is the outcome of one check.
type Status string

// The outcomes: ok (the promise holds), finding (it does not: the run exits 1) and
// error (the check could not run: the run exits 1 too).
const (
	StatusOK      Status = "ok"
	StatusFinding Status = "finding"
	StatusError   Status = "error"
	// StatusNotRun is what Latest gives a check that has not run yet: neither green nor red.
	StatusNotRun Status = "not run"
)

// Result is one check's outcome, as the command prints it and the Promises page shows it.
type Result struct {
	ID      string    `json:"id"`      // stable: "keys-apart", "card-numbers", …
	Title   string    `json:"title"`   // what is checked, in a few words
	Promise string    `json:"promise"` // the policy's own words that the check backs
	Status  Status    `json:"status"`
	Message string    `json:"message"`           // one short line, no personal data
	Details []string  `json:"details,omitempty"` // the listing behind a finding (places and counts)
	RanAt   time.Time `json:"ran_at"`
	// ChangedAt is when the stored status last changed (Latest only; zero in a run's report).
	ChangedAt time.Time `json:"changed_at,omitzero"`
}

// Red reports whether the result is a finding or an error.
func (r Result) Red() bool { return r.Status == StatusFinding || r.Status == StatusError }

// Report is one run of every check.
type Report struct {
	RanAt   time.Time `json:"ran_at"`
	Results []Result  `json:"results"`
}

// Red returns the results that are findings or errors.
func (r Report) Red() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Red() {
			out = append(out, res)
		}
	}
	return out
}

// Counts returns how many results have each status.
func (r Report) Counts() (ok, findings, errors int) {
	for _, res := range r.Results {
		switch res.Status {
		case StatusOK:
			ok++
		case StatusFinding:
			findings++
		default:
			errors++
		}
	}
	return ok, findings, errors
}

// outcome is what a check's run function returns.
type outcome struct {
	status  Status
	message string
	details []string
}

func ok(format string, args ...any) outcome {
	return outcome{status: StatusOK, message: fmt.Sprintf(format, args...)}
}

func finding(details []string, format string, args ...any) outcome {
	return outcome{status: StatusFinding, message: fmt.Sprintf(format, args...), details: details}
}

func failed(err error) outcome {
	return outcome{status: StatusError, message: "the check could not run: " + err.Error()}
}

// Check is one check: its id, what it checks, the promise it backs and how.
type Check struct {
	ID, Title, Promise string
	Help               string // what it looks at and when it is red, for --help and docs
	run                func(ctx context.Context, in *Inputs) outcome
}

// Run runs every check of Checks over in and returns the report; it never stops early.
func Run(ctx context.Context, in Inputs) Report {
	now := in.now()
	rep := Report{RanAt: now}
	for _, c := range Checks() {
		o := c.run(ctx, &in)
		rep.Results = append(rep.Results, Result{
			ID: c.ID, Title: c.Title, Promise: c.Promise,
			Status: o.status, Message: o.message, Details: o.details, RanAt: now,
		})
	}
	return rep
}
