package accesslog

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
)

// steadyRecorder accepts every hit and counts those flushed.
type steadyRecorder struct {
	mu               sync.Mutex
	pending, flushed int
}

func (r *steadyRecorder) Record(analytics.Hit) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending++
	return true
}

func (r *steadyRecorder) Flush(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flushed += r.pending
	r.pending = 0
	return nil
}

func (r *steadyRecorder) counts() (pending, flushed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pending, r.flushed
}

// interruptedStates is a StateStore whose first save is interrupted: it ends the
// follower's context and fails with that context's error, as a database driver does
// when the context of a statement is cancelled while it runs.
type interruptedStates struct {
	memStates
	cancel      context.CancelFunc
	interrupted bool
}

func (s *interruptedStates) SaveIngestState(ctx context.Context, st State) error {
	s.mu.Lock()
	first := !s.interrupted
	s.interrupted = true
	s.mu.Unlock()
	if first {
		s.cancel()
		return errs.Wrap(errs.Internal, "", ctx.Err())
	}
	if err := ctx.Err(); err != nil {
		return errs.Wrap(errs.Internal, "", err)
	}
	return s.memStates.SaveIngestState(ctx, st)
}

// Promise (docs/analytics-logs.md): interrupting --follow stops it cleanly with
// everything flushed, even when the interruption lands in the middle of a checkpoint.
func TestFollowInterruptedDuringCheckpoint(t *testing.T) {
	p := filepath.Join(t.TempDir(), "access.log")
	data := logLines(0, 7)
	writeFile(t, p, data)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec, states := &steadyRecorder{}, &interruptedStates{cancel: cancel}
	in := newIngester(t, rec, states, "combined")
	var clock sync.Mutex
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	in.Now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }
	in.FlushEvery = time.Hour
	done := make(chan error, 1)
	go func() { done <- in.Follow(ctx, p, time.Millisecond) }()
	// Once every line is read, an hour passes: the next periodic checkpoint is the one
	// interrupted.
	for pending, _ := rec.counts(); pending < 7; pending, _ = rec.counts() {
		select {
		case err := <-done:
			t.Fatalf("Follow returned early: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	clock.Lock()
	now = now.Add(2 * time.Hour)
	clock.Unlock()
	if err := <-done; err != nil {
		t.Fatalf("Follow interrupted during a checkpoint: %v, want a clean stop", err)
	}
	if _, flushed := rec.counts(); flushed != 7 {
		t.Errorf("%d page views flushed, want 7", flushed)
	}
	st, err := states.IngestState(context.Background(), 1, headHash([]byte(strings.TrimSuffix(logLines(0, 1), "\n"))))
	if err != nil || st.Offset != int64(len(data)) {
		t.Errorf("saved state %+v, %v; want offset %d", st, err, len(data))
	}
}
