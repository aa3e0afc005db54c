package mail

import (
	"context"
	"time"
)

// Marking settles outcomes in batches: one transaction per flush, not per message.
// The marker flushes as soon as no further outcome is waiting (group commit: what
// arrives during a flush goes into the next), and at most markBatch at a time.
const (
	markBatch = 256
	markEvery = 20 * time.Millisecond
	markTries = 5
)

// marker collects outcomes from the senders and writes them to the ledger, until
// results is closed; then it flushes what is left. Senders of sent rows wait until
// the flush that records them.
func (w *worker) marker() {
	var (
		sent     []int64
		retries  []Retry
		fails    []Failure
		release  []Claimed
		recorded []chan<- struct{}
	)
	flush := func() {
		n := len(sent) + len(retries) + len(fails) + len(release)
		if n == 0 {
			return
		}
		w.persist("marking sent", func(ctx context.Context) error { return w.s.o.Store.MarkSent(ctx, w.s.o.Now(), sent) }, len(sent))
		w.persist("marking retries", func(ctx context.Context) error { return w.s.o.Store.MarkRetry(ctx, w.s.o.Now(), retries) }, len(retries))
		w.persist("marking failures", func(ctx context.Context) error { return w.s.o.Store.MarkFailed(ctx, w.s.o.Now(), fails) }, len(fails))
		w.persist("releasing", func(ctx context.Context) error { return w.s.o.Store.Release(ctx, release) }, len(release))
		for _, r := range recorded {
			r <- struct{}{} // recorded, or given up on after markTries: the lease decides
		}
		sent, retries, fails, release, recorded = sent[:0], retries[:0], fails[:0], release[:0], recorded[:0]
		w.inflight.Add(-int64(n))
		signal(w.room)
	}
	tick := time.NewTicker(markEvery)
	defer tick.Stop()
	for {
		select {
		case o, ok := <-w.results:
			if !ok {
				flush()
				return
			}
			switch o.kind {
			case outSent:
				sent = append(sent, o.row.ID)
				if o.recorded != nil {
					recorded = append(recorded, o.recorded)
				}
			case outRetry:
				retries = append(retries, o.retry)
			case outFailure:
				fails = append(fails, o.failure)
			case outRelease:
				release = append(release, *o.row)
			}
			if len(w.results) == 0 || len(sent)+len(retries)+len(fails)+len(release) >= markBatch {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// persist runs one ledger write, retrying a few times when the database is briefly
// unavailable. It outlives the worker's context: outcomes of sends already made must
// be recorded even while shutting down. If it still fails the rows stay 'sending'
// until their lease expires and are then sent again (at least once, never lost).
func (w *worker) persist(what string, fn func(context.Context) error, n int) {
	if n == 0 {
		return
	}
	var err error
	for try := range markTries {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = fn(ctx)
		cancel()
		if err == nil {
			return
		}
		time.Sleep(time.Duration(50<<try) * time.Millisecond)
	}
	w.s.log.Error("mail: "+what+" failed; the rows will be retried after their lease", "count", n, "error", err)
}
