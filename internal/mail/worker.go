package mail

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// worker is one Run of the Service: a claimer, Concurrency senders and a marker.
//
//	claimLoop ──claimed rows──▶ jobs (paced per campaign by timers) ──▶ senders ──▶ results ──▶ marker
//
// At most capacity rows are claimed and not yet marked (inflight), so every claimed row
// is sent well within its lease.
type worker struct {
	s        *Service
	capacity int
	jobs     chan *Claimed
	results  chan outcome
	room     chan struct{} // the marker settled rows: there may be room to claim
	paced    chan struct{} // a paced campaign drained: it may be claimed again
	inflight atomic.Int64

	mu      sync.Mutex
	delayed map[*time.Timer]*Claimed // rows waiting for their campaign's token bucket
	pending map[int64]int            // campaign → rows in delayed

	lastConnLog atomic.Int64 // unix seconds of the last logged connection failure
}

type outcomeKind int

const (
	outSent outcomeKind = iota
	outRetry
	outFailure
	outRelease // not attempted: back to queued at once
)

type outcome struct {
	kind    outcomeKind
	row     *Claimed
	retry   Retry
	failure Failure

	recorded chan<- struct{} // outSent: signalled once the ledger says sent
}

func newWorker(s *Service) *worker {
	capacity := 2 * s.o.Batch
	return &worker{
		s: s, capacity: capacity,
		jobs:    make(chan *Claimed, capacity),
		results: make(chan outcome, capacity),
		room:    make(chan struct{}, 1),
		paced:   make(chan struct{}, 1),
		delayed: map[*time.Timer]*Claimed{},
		pending: map[int64]int{},
	}
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (w *worker) run(ctx context.Context) error {
	var senders sync.WaitGroup
	for range w.s.o.Concurrency {
		senders.Go(func() {
			// A sender starts its next message only once the last one it handed to
			// the relay is recorded as sent: a crash repeats at most one message per
			// sender (Concurrency in all).
			recorded := make(chan struct{}, 1)
			for j := range w.jobs {
				o := w.handle(ctx, j)
				if o.kind != outSent {
					w.results <- o
					continue
				}
				o.recorded = recorded
				w.results <- o
				<-recorded
			}
		})
	}
	marked := make(chan struct{})
	go func() {
		w.marker()
		close(marked)
	}()

	w.claimLoop(ctx)

	// Shutting down: paced rows go back to queued, senders finish what they hold and
	// release what is left in jobs, the marker settles everything.
	w.mu.Lock()
	for t, j := range w.delayed {
		t.Stop()
		delete(w.delayed, t)
		w.results <- outcome{kind: outRelease, row: j}
	}
	w.mu.Unlock()
	close(w.jobs)
	senders.Wait()
	close(w.results)
	<-marked
	return nil
}

// claimLoop claims due rows while there is room, until ctx ends.
func (w *worker) claimLoop(ctx context.Context) {
	o := w.s.o
	var nextReclaim time.Time
	idle := time.NewTimer(o.Poll)
	defer idle.Stop()
	wait := func(chans ...chan struct{}) {
		idle.Reset(o.Poll)
		var a, b chan struct{}
		if len(chans) > 0 {
			a = chans[0]
		}
		if len(chans) > 1 {
			b = chans[1]
		}
		select {
		case <-ctx.Done():
		case <-idle.C:
		case <-a:
		case <-b:
		}
	}
	for ctx.Err() == nil {
		now := o.Now()
		if !now.Before(nextReclaim) {
			if !w.heartbeat(ctx, now) {
				// Without a heartbeat row this instance's claims look dead to the
				// others, which would free and send them again: claim nothing.
				wait()
				continue
			}
			nextReclaim = now.Add(o.Heartbeat)
		}
		if w.capacity-int(w.inflight.Load()) < o.Batch {
			wait(w.room)
			continue
		}
		claimed, err := o.Store.Claim(ctx, now, o.Batch, o.Lease, w.busy())
		if err != nil {
			if ctx.Err() == nil {
				w.s.log.Error("mail: claiming messages", "error", err)
				wait()
			}
			continue
		}
		w.inflight.Add(int64(len(claimed)))
		for i := range claimed {
			w.dispatch(&claimed[i])
		}
		if len(claimed) < o.Batch {
			wait(w.s.wake, w.paced)
		}
	}
}

// heartbeat renews this instance's heartbeat, then reclaims the claims of instances
// that are gone and of expired leases. Without a fresh heartbeat it reclaims nothing
// (its own claims might look dead) and reports false: the worker then claims nothing.
func (w *worker) heartbeat(ctx context.Context, now time.Time) bool {
	o := w.s.o
	if err := o.Store.Heartbeat(ctx, now, StaleAfter*o.Heartbeat); err != nil {
		if ctx.Err() == nil {
			w.s.log.Error("mail: renewing the heartbeat", "error", err)
		}
		return false
	}
	if n, err := o.Store.Reclaim(ctx, now); err != nil {
		w.s.log.Error("mail: reclaiming dead claims", "error", err)
	} else if n > 0 {
		w.s.log.Info("mail: reclaimed messages whose sender stopped", "count", n)
	}
	return true
}

// busy lists the rate-limited campaigns that still have rows waiting for their token
// bucket: they are claimed again once those are out (each claim takes at most
// rate × ClaimWindow of them), so a slow campaign never piles up claimed rows.
func (w *worker) busy() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := make([]int64, 0, len(w.pending))
	for id := range w.pending {
		ids = append(ids, id)
	}
	return ids
}

// dispatch hands a claimed row to the senders, after its campaign's token bucket
// allows it (a timer, so that a slow campaign never holds a sender).
func (w *worker) dispatch(j *Claimed) {
	if j.CampaignID == 0 || j.CampaignRate <= 0 {
		w.jobs <- j
		return
	}
	d := w.s.campaignLimiter(j.CampaignID, j.CampaignRate).Reserve().Delay()
	if d <= 0 {
		w.jobs <- j
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if _, ok := w.delayed[t]; !ok {
			return // stopped by shutdown
		}
		delete(w.delayed, t)
		if w.pending[j.CampaignID]--; w.pending[j.CampaignID] == 0 {
			delete(w.pending, j.CampaignID)
			signal(w.paced) // the campaign may be claimed again
		}
		w.jobs <- j // never blocks: jobs holds capacity rows
	})
	w.delayed[t] = j
	w.pending[j.CampaignID]++
}

// handle renders and sends one claimed row and decides its outcome.
func (w *worker) handle(ctx context.Context, j *Claimed) outcome {
	o := w.s.o
	release := outcome{kind: outRelease, row: j}
	if ctx.Err() != nil || j.LeaseUntil.Sub(o.Now()) < o.SendTimeout {
		return release // shutting down, or the lease is too short to finish a send
	}
	m, out, ok := w.render(ctx, j)
	if !ok {
		return out
	}
	if err := w.s.global.Wait(ctx); err != nil || j.LeaseUntil.Sub(o.Now()) < o.SendTimeout {
		return release
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.SendTimeout)
	err := o.Sender.Send(sctx, m)
	cancel()
	return w.settle(j, err)
}

// render builds the message of a row: a transactional row is opened, a campaign row
// rendered by the Renderer.
func (w *worker) render(ctx context.Context, j *Claimed) (*Message, outcome, bool) {
	o := w.s.o
	m := &Message{OutboxID: j.ID, MessageID: j.MessageID, Date: o.Now().UTC(), Campaign: j.CampaignID != 0}
	var err error
	if j.CampaignID == 0 {
		m.To, m.Content, err = Open(o.Sealer, Queued{ToSealed: j.ToSealed, ContentSealed: j.ContentSealed})
	} else if o.Renderer == nil {
		err = errors.New("no renderer for campaign mail")
	} else {
		m.To, m.Content, err = o.Renderer.RenderMessage(ctx, j.CampaignID, j.SubscriberID)
	}
	switch {
	case err == nil:
		if err = m.Content.Validate(); err != nil {
			return nil, w.fail(j, StatusFailed, "render invalid", false), false
		}
		return m, outcome{}, true
	case ctx.Err() != nil:
		return nil, outcome{kind: outRelease, row: j}, false
	case errors.Is(err, ErrSkip) || errs.CodeOf(err) == errs.NotFound:
		return nil, w.fail(j, StatusCancelled, "render skipped", false), false
	}
	w.s.log.Warn("mail: cannot render a message; will retry", "outbox_id", j.ID, "error", errs.CodeOf(err))
	return nil, w.retry(j, "render error"), false
}

// settle turns the relay's answer into an outcome.
func (w *worker) settle(j *Claimed, err error) outcome {
	if err == nil {
		return outcome{kind: outSent, row: j}
	}
	var se *SendError
	if !errors.As(err, &se) {
		se = &SendError{Stage: StageConnect, Cause: err}
	}
	switch se.Class() {
	case HardBounce:
		w.s.log.Info("mail: hard bounce; address suppressed", "outbox_id", j.ID, "smtp", se.Error())
		return w.fail(j, StatusFailed, se.Error(), true)
	case Permanent:
		w.s.log.Warn("mail: refused by the relay", "outbox_id", j.ID, "smtp", se.Error())
		return w.fail(j, StatusFailed, se.Error(), false)
	}
	if se.Stage == StageConnect {
		// A relay that is down fails every message: log it once a minute, not per row.
		now := time.Now().Unix()
		if last := w.lastConnLog.Load(); now-last >= 60 && w.lastConnLog.CompareAndSwap(last, now) {
			w.s.log.Error("mail: cannot reach the relay; messages will be retried", "error", se.Error())
		}
	} else {
		w.s.log.Warn("mail: temporary failure; will retry", "outbox_id", j.ID, "smtp", se.Error())
	}
	return w.retry(j, se.Error())
}

// retry reschedules a row with backoff, or gives up once it has failed for DeadAfter.
func (w *worker) retry(j *Claimed, reason string) outcome {
	now := w.s.o.Now()
	if !j.FirstFailure.IsZero() && now.Sub(j.FirstFailure) >= DeadAfter {
		return w.fail(j, StatusDead, reason, false)
	}
	at := now.Add(Backoff(j.Attempts, w.s.o.RetryBase, w.s.o.RetryMax))
	return outcome{kind: outRetry, row: j, retry: Retry{ID: j.ID, LeaseUntil: j.LeaseUntil, At: at, Error: reason}}
}

func (w *worker) fail(j *Claimed, st Status, reason string, bounce bool) outcome {
	return outcome{kind: outFailure, row: j, failure: Failure{ID: j.ID, LeaseUntil: j.LeaseUntil, Status: st, Error: reason, HardBounce: bounce}}
}
