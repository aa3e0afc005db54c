package cli

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// Promise (docs/operations.md, shutdown): serve cancels its background work, waits for
// it to finish, and never waits longer than its grace: a job that ignores its
// cancellation is logged and left, so the service manager's stop timeout is kept.
func TestStopBackgroundWaitsForTheWorkButNotForever(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	// Work that ends once cancelled: waited for, nothing logged.
	ctx, cancel := context.WithCancel(context.Background())
	job, afterDone := make(chan struct{}), false
	go func() { <-ctx.Done(); close(job) }()
	stopBackground(log, time.Hour, cancel, func() { afterDone = true }, job)
	select {
	case <-job:
	default:
		t.Fatal("stopBackground returned before the job ended")
	}
	if !afterDone || logs.Len() != 0 {
		t.Fatalf("after-answer work done %v; log %q", afterDone, logs.String())
	}

	// Work that never ends: left after the grace, and the log says so.
	stuck := make(chan struct{})
	defer close(stuck)
	stopBackground(log, 10*time.Millisecond, func() {}, func() {}, stuck)
	if !strings.Contains(logs.String(), "background work still running") {
		t.Fatalf("log %q", logs.String())
	}
}
