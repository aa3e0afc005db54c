package cli

import (
	"context"
	"sync"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/newsletter"
)

// job is periodic background work of `candor serve`.
type job struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) (int64, error) // how many things it did
}

func (a *app) jobs() []job {
	jobs := []job{
		{"purge idle sessions", 10 * time.Minute, a.staff.PurgeSessions},
		{"enforce every retention rule (docs/privacy.md)", time.Hour, a.enforceRetention},
		{"settle payments and refunds", time.Minute, func(ctx context.Context) (int64, error) {
			n, err := a.shop.Reconcile(ctx)
			return int64(n), err
		}},
		{"start scheduled campaigns", 15 * time.Second, func(ctx context.Context) (int64, error) {
			n, err := a.campaigns.StartDue(ctx)
			return int64(n), err
		}},
		{"join sign-ups acknowledged and not yet stored (after a crash)", 30 * time.Second, func(ctx context.Context) (int64, error) {
			return a.newsletter.ProcessIntake(ctx, newsletter.IntakeGrace)
		}},
		{"queue the weekly statistics mails", 10 * time.Minute, a.weekly.Send},
		{"check the privacy promises (candor audit privacy)", 24 * time.Hour, a.auditPrivacyDaily},
	}
	if p := a.answers; p != nil {
		jobs = append(jobs, job{"read answers from the contact mailbox", a.cfg.ContactIMAPEvery, func(ctx context.Context) (int64, error) {
			r, err := a.readAnswers(ctx, p)
			return int64(r.outcomes[contact.AnswerAdded]), err
		}})
	}
	if j := a.backupJob(); j != nil {
		jobs = append(jobs, *j)
	}
	return jobs
}

// runJobs runs every job once at start and then on its interval, until ctx ends, and
// returns when every job's current run has ended, so that serve closes the database only
// after them. A failing job is logged and retried at its next tick.
func runJobs(ctx context.Context, a *app) {
	var wg sync.WaitGroup
	defer wg.Wait() // every job's current run ends (its context is cancelled) before this returns
	for _, j := range a.jobs() {
		wg.Go(func() {
			t := time.NewTicker(j.every)
			defer t.Stop()
			for {
				if n, err := j.run(ctx); err != nil && ctx.Err() == nil {
					a.log.Warn("background job failed", "job", j.name, "error", err)
				} else if n > 0 {
					a.log.Info("background job", "job", j.name, "count", n)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
}
