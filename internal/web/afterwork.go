package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// afterWorkers bounds how many after-answer jobs run at once: enough for concurrent
// sign-ups to share a group commit (sqldb.DB.Batch) as they did inside their requests.
const afterWorkers = 64

// afterQueued bounds the jobs waiting for a worker; beyond it a job runs inside its
// request (back-pressure under a flood, when timing tells nothing useful anyway).
const afterQueued = 10_000

// afterWorkTimeout bounds one after-answer job.
const afterWorkTimeout = time.Minute

// afterwork runs, after the answer is sent, the part of a public form's work that
// differs with what Candor knows about the address given: a sign-up's storage and
// confirmation mail (none for an address mailed moments ago), the look-up of a
// buyer's orders and their mail (none for an address that bought nothing). The answers
// were already the same; this makes their time the same too, since the handler does
// identical work for every address. A job's error is logged (the person already has
// their answer, as they would for a mail that bounces).
type afterwork struct {
	log    *slog.Logger
	wg     sync.WaitGroup
	slots  chan struct{} // one per running job
	queued atomic.Int64  // jobs queued and not yet done
}

func newAfterwork(log *slog.Logger) *afterwork {
	return &afterwork{log: log, slots: make(chan struct{}, afterWorkers)}
}

// do queues job for after the answer; what names it in the log. The job's context
// keeps the request's values but not its cancellation.
func (a *afterwork) do(r *http.Request, what string, job func(context.Context) error) {
	ctx, id := context.WithoutCancel(r.Context()), RequestID(r.Context())
	if a.queued.Add(1) > afterQueued {
		defer a.queued.Add(-1)
		if err := job(ctx); err != nil {
			a.log.Error(what+" failed", "request_id", id, "error", err)
		}
		return
	}
	a.wg.Go(func() {
		defer a.queued.Add(-1)
		a.slots <- struct{}{}
		defer func() { <-a.slots }()
		defer func() {
			if v := recover(); v != nil {
				a.log.Error(what+" panicked after the answer", "request_id", id, "panic", fmt.Sprint(v))
			}
		}()
		ctx, cancel := context.WithTimeout(ctx, afterWorkTimeout)
		defer cancel()
		if err := job(ctx); err != nil {
			a.log.Error(what+" failed after the answer", "request_id", id, "error", err)
		}
	})
}

// occupy takes every worker slot until the returned func is called: queued jobs wait.
// Tests use it to show that an answer waits for no job.
func (a *afterwork) occupy() (release func()) {
	for range afterWorkers {
		a.slots <- struct{}{}
	}
	return func() {
		for range afterWorkers {
			<-a.slots
		}
	}
}

// Wait blocks until every job queued after an answer is done. Serve calls it once the
// HTTP server has shut down, before the database closes.
func (s *Server) Wait() { s.later.wait() }

func (a *afterwork) wait() { a.wg.Wait() }
