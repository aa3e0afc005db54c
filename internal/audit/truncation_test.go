package audit_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/sqldb"
)

// Promise (issue 12, item 2): entries cut from the end of the audit log are found even
// when the head is set to the new last entry: the head is keyed (a MAC over its seq and
// hash), so nobody without the key can write a head that fits a shorter log.
func TestVerifyDetectsTruncationWithHeadMovedBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.five(t)
	f.exec(t, `DELETE FROM audit_log WHERE seq >= 4`)
	f.exec(t, `UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)`)
	_, problem, err := f.log.Verify(f.ctx)
	if err != nil || problem == nil || problem.Seq != 3 || !strings.Contains(problem.Reason, "head") {
		t.Fatalf("Verify after cutting the tail and moving the head = %v, %v; want a problem with the head at entry 3", problem, err)
	}
}

// Promise (issue 12, item 2): a rollback of the whole database (an older copy put back,
// with its own keyed head) is found by the checkpoint kept outside the database, which
// says how many entries are missing.
func TestVerifyDetectsRollbackByCheckpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cp := filepath.Join(t.TempDir(), "audit.checkpoint")
	f.log.SetCheckpoint(cp, nil)
	f.record(t, "cli", "a", "")
	f.record(t, "cli", "b", "")
	f.record(t, "cli", "c", "")
	var head string
	if err := f.db.QueryRow(f.ctx, "SELECT hash FROM audit_head WHERE id = 1").Scan(&head); err != nil {
		t.Fatal(err)
	}
	f.record(t, "cli", "d", "")
	f.record(t, "cli", "e", "")
	f.verifyOK(t, 5)
	// The database as it was after entry 3, put back.
	f.exec(t, `DELETE FROM audit_log WHERE seq >= 4`)
	f.exec(t, `UPDATE audit_head SET seq = 3, hash = ?`, head)
	_, problem, err := f.log.Verify(f.ctx)
	if err != nil || problem == nil || !strings.Contains(problem.Reason, "2 entries are missing") {
		t.Fatalf("Verify after a rollback = %v, %v; want 2 entries missing by the checkpoint", problem, err)
	}
	// Without the checkpoint the rolled-back copy is consistent: as far as it can know.
	other := audit.New(sqldb.AuditStore{DB: f.db}, f.mac)
	if _, problem, err := other.Verify(f.ctx); err != nil || problem != nil {
		t.Fatalf("Verify of a consistent copy without a checkpoint = %v, %v", problem, err)
	}
	// Entries written after the rollback do not overwrite the evidence: the checkpoint
	// stays ahead, and entry 5 differs from it.
	f.record(t, "cli", "d2", "")
	f.record(t, "cli", "e2", "")
	if _, problem, err := f.log.Verify(f.ctx); err != nil || problem == nil || problem.Seq != 5 || !strings.Contains(problem.Reason, "checkpoint") {
		t.Fatalf("Verify after new entries over a rollback = %v, %v; want entry 5 differing from the checkpoint", problem, err)
	}
}

// Entries recorded concurrently are noted in the checkpoint in the order the database
// numbered them: none is reported as a log behind its checkpoint (a false alarm that
// a busy server logged as an error).
func TestConcurrentEntriesAreNotBehindTheCheckpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var logged bytes.Buffer
	var mu sync.Mutex
	f.log.SetCheckpoint(filepath.Join(t.TempDir(), "audit.checkpoint"), slog.New(slog.NewTextHandler(lockedWriter{&mu, &logged}, nil)))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if err := f.log.Record(f.ctx, "cli", "concurrent", fmt.Sprint(i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logged.String(), "behind") {
		t.Fatalf("concurrent entries logged a log behind its checkpoint:\n%s", logged.String())
	}
	f.verifyOK(t, 16)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
