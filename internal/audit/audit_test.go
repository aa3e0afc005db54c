package audit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// The tests here run the audit log over real storage: SQLite by default, PostgreSQL
// when CANDOR_TEST_POSTGRES names a server.

type fixture struct {
	ctx context.Context
	db  *sqldb.DB
	log *audit.Log
	mac audit.MAC
}

func newMAC(t *testing.T) audit.MAC {
	t.Helper()
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	return pii.NewSealer(kr).Index
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := dbtest.Open(t)
	mac := newMAC(t)
	return &fixture{ctx: context.Background(), db: db, log: audit.New(sqldb.AuditStore{DB: db}, mac), mac: mac}
}

func (f *fixture) record(t *testing.T, actor, action, subject string, detail ...string) {
	t.Helper()
	if err := f.log.Record(f.ctx, actor, action, subject, detail...); err != nil {
		t.Fatalf("Record(%s): %v", action, err)
	}
}

// five records a small, varied chain: seqs 1..5.
func (f *fixture) five(t *testing.T) {
	t.Helper()
	f.record(t, "cli", "staff.add", "staff:1", "role", "owner")
	f.record(t, "staff:1", "staff.signin", "staff:1", "second_factor", "false")
	f.record(t, "staff:1", "subscriber.view", "subscriber:17")
	f.record(t, "anonymous", "staff.signin_failed", "", "reason", "unknown_email")
	f.record(t, "staff:1", "subscriber.export", "subscriber:17", "format", "json", "note", `quotes " and \ and ünïcode`)
}

func (f *fixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.db.Exec(f.ctx, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (f *fixture) verifyOK(t *testing.T, want int64) {
	t.Helper()
	n, problem, err := f.log.Verify(f.ctx)
	if err != nil || problem != nil || n != want {
		t.Fatalf("Verify = %d, %v, %v; want %d entries, no problem", n, problem, err, want)
	}
}

// Promise: every look at personal data is recorded and the record can be trusted —
// entries come back as written, newest first, and the viewer's filters select them.
func TestRecordAndList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	before := time.Now().Add(-time.Millisecond)
	f.five(t)
	after := time.Now().Add(time.Millisecond)
	f.verifyOK(t, 5)

	all, err := f.log.List(f.ctx, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 {
		t.Fatalf("List = %d entries; want 5", len(all))
	}
	for i, e := range all {
		if want := int64(5 - i); e.Seq != want {
			t.Fatalf("entry %d has seq %d; want %d (newest first)", i, e.Seq, want)
		}
		if e.At.Before(before) || e.At.After(after) || e.At.Location() != time.UTC || e.At.Nanosecond()%int(time.Millisecond) != 0 {
			t.Fatalf("entry %d At = %v; want UTC milliseconds between %v and %v", e.Seq, e.At, before, after)
		}
		if e.Hash == "" || (e.Seq == 1) != (e.PrevHash == "") {
			t.Fatalf("entry %d: hash %q prev %q", e.Seq, e.Hash, e.PrevHash)
		}
		if i+1 < len(all) && e.PrevHash != all[i+1].Hash {
			t.Fatalf("entry %d does not link to entry %d", e.Seq, all[i+1].Seq)
		}
	}
	if d := all[0].Detail; d["format"] != "json" || d["note"] != `quotes " and \ and ünïcode` || len(d) != 2 {
		t.Fatalf("detail did not round-trip: %#v", d)
	}
	if d := all[2].Detail; d == nil || len(d) != 0 {
		t.Fatalf("an entry without detail has detail %#v; want an empty map", d)
	}

	seqs := func(list []audit.Entry) string {
		var s []string
		for _, e := range list {
			s = append(s, fmt.Sprint(e.Seq))
		}
		return strings.Join(s, ",")
	}
	tests := []struct {
		name   string
		filter audit.Filter
		want   string
	}{
		{"actor", audit.Filter{Actor: "staff:1"}, "5,3,2"},
		{"action prefix", audit.Filter{Action: "staff."}, "4,2,1"},
		{"exact action", audit.Filter{Action: "subscriber.view"}, "3"},
		{"action with a % is not a wildcard", audit.Filter{Action: "%.view"}, ""},
		{"action with a _ is not a wildcard", audit.Filter{Action: "staff_"}, ""},
		{"action prefix is case-sensitive on both databases", audit.Filter{Action: "STAFF."}, ""},
		{"subject", audit.Filter{Subject: "subscriber:17"}, "5,3"},
		{"no subject is not a filter", audit.Filter{Subject: ""}, "5,4,3,2,1"},
		{"before seq", audit.Filter{BeforeSeq: 3}, "2,1"},
		{"limit", audit.Filter{Limit: 2}, "5,4"},
		{"limit over 500 falls back to 100", audit.Filter{Limit: 501}, "5,4,3,2,1"},
		{"from", audit.Filter{From: after}, ""},
		{"to", audit.Filter{To: before}, ""},
		{"from and to", audit.Filter{From: before, To: after}, "5,4,3,2,1"},
		{"combined", audit.Filter{Actor: "staff:1", Subject: "subscriber:17", BeforeSeq: 5}, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.log.List(f.ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if s := seqs(got); s != tt.want {
				t.Fatalf("List(%+v) = seqs [%s]; want [%s]", tt.filter, s, tt.want)
			}
		})
	}
}

// Promise: the audit log is tamper-evident — changing, removing, reordering or forging
// a row makes Verify name the first entry that no longer fits.
func TestVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tamper  func(t *testing.T, f *fixture)
		wantSeq int64
		reason  string // a word the reason must contain
	}{
		{"detail added", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET detail = '{"note":"nothing to see"}' WHERE seq = 3`)
		}, 3, "changed"},
		{"detail value changed", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET detail = '{"reason":"bad_password"}' WHERE seq = 4`)
		}, 4, "changed"},
		{"detail removed", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET detail = '{}' WHERE seq = 1`)
		}, 1, "changed"},
		{"detail made unreadable", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET detail = 'not json' WHERE seq = 2`)
		}, 2, "changed"},
		{"actor changed", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET actor = 'staff:2' WHERE seq = 3`)
		}, 3, "changed"},
		{"action changed", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET action = 'staff.list' WHERE seq = 1`)
		}, 1, "changed"},
		{"subject of the last entry changed", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET subject = 'subscriber:18' WHERE seq = 5`)
		}, 5, "changed"},
		{"time moved by a millisecond", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET at = at + 1 WHERE seq = 2`)
		}, 2, "changed"},
		{"hash replaced", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET hash = 'x' WHERE seq = 4`)
		}, 4, "changed"},
		{"link replaced", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET prev_hash = 'x' WHERE seq = 2`)
		}, 2, "link"},
		{"middle entry deleted", func(t *testing.T, f *fixture) {
			f.exec(t, `DELETE FROM audit_log WHERE seq = 3`)
		}, 4, "missing"},
		{"first entry deleted", func(t *testing.T, f *fixture) {
			f.exec(t, `DELETE FROM audit_log WHERE seq = 1`)
		}, 2, "missing"},
		{"last entry deleted, head left", func(t *testing.T, f *fixture) {
			f.exec(t, `DELETE FROM audit_log WHERE seq = 5`)
		}, 4, "removed"},
		{"last two entries deleted, head left", func(t *testing.T, f *fixture) {
			f.exec(t, `DELETE FROM audit_log WHERE seq >= 4`)
		}, 3, "removed"},
		{"every entry deleted, head left", func(t *testing.T, f *fixture) {
			f.exec(t, `DELETE FROM audit_log`)
		}, 0, "removed"},
		{"two entries swapped", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_log SET seq = 100 WHERE seq = 4`)
			f.exec(t, `UPDATE audit_log SET seq = 4 WHERE seq = 5`)
			f.exec(t, `UPDATE audit_log SET seq = 5 WHERE seq = 100`)
		}, 4, "link"},
		{"entry renumbered into a gap", func(t *testing.T, f *fixture) {
			f.exec(t, `DELETE FROM audit_log WHERE seq = 3`)
			f.exec(t, `UPDATE audit_log SET seq = 3 WHERE seq = 4`)
		}, 3, "link"},
		{"entry forged after the head", func(t *testing.T, f *fixture) {
			f.exec(t, `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
				SELECT 6, at, 'staff:1', 'staff.signout', 'staff:1', '{}', hash, 'forged' FROM audit_log WHERE seq = 5`)
		}, 6, ""},
		{"head moved back one entry", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4)`)
		}, 5, "head"},
		{"head hash replaced", func(t *testing.T, f *fixture) {
			f.exec(t, `UPDATE audit_head SET hash = 'x'`)
		}, 5, "head"},
		{"entry forged in front", func(t *testing.T, f *fixture) {
			f.exec(t, `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (0, 0, 'cli', 'x', '', '{}', '', 'forged')`)
		}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.five(t)
			f.verifyOK(t, 5)
			tt.tamper(t, f)
			_, problem, err := f.log.Verify(f.ctx)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if problem == nil {
				t.Fatal("Verify found nothing wrong")
			}
			if problem.Seq != tt.wantSeq || !strings.Contains(problem.Reason, tt.reason) {
				t.Fatalf("Verify = %q (seq %d); want seq %d, a reason with %q", problem.String(), problem.Seq, tt.wantSeq, tt.reason)
			}
		})
	}
}

// Promise: without the installation's key nobody can write a chain that verifies — the
// same rows checked under another key fail at the first entry.
func TestVerifyNeedsTheKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.five(t)
	other := audit.New(sqldb.AuditStore{DB: f.db}, newMAC(t))
	_, problem, err := other.Verify(f.ctx)
	if err != nil || problem == nil || problem.Seq != 1 {
		t.Fatalf("Verify under another key = %v, %v; want a problem at entry 1", problem, err)
	}
	// An empty log verifies.
	empty := newFixture(t)
	empty.verifyOK(t, 0)
}

// Promise: the audit log is tamper-evident — fields cannot be shifted into one another
// (the hash joins them with zero bytes), and both databases accept the same entries.
func TestRecordRefusesZeroBytes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tt := range []struct{ actor, action, subject string }{
		{"staff:1\x00staff.list", "", "x"},
		{"staff:1", "staff.list\x00", "x"},
		{"staff:1", "staff.list", "\x00x"},
		{"staff:1", "staff.list", "subscriber:\xff"},
	} {
		if err := f.log.Record(f.ctx, tt.actor, tt.action, tt.subject); !errs.Is(err, errs.Invalid) {
			t.Errorf("Record(%q, %q, %q) = %v; want invalid on every database", tt.actor, tt.action, tt.subject, err)
		}
	}
	// Zero bytes inside detail are escaped by the JSON encoding, so they are fine.
	f.record(t, "cli", "x", "", "k\x00", "v\x00")
	f.verifyOK(t, 1)
}

// Promise: the audit log records every event even under load — concurrent records get
// consecutive sequence numbers, without gaps or forks, and Verify, also while records
// are being written, finds the chain intact.
func TestConcurrentRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const writers = 20
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if err := f.log.Record(f.ctx, fmt.Sprintf("staff:%d", i), "subscriber.view", "subscriber:1", "n", fmt.Sprint(i)); err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	stop := make(chan struct{})
	verified := make(chan int, 1)
	go func() {
		runs := 0
		for {
			select {
			case <-stop:
				verified <- runs
				return
			default:
			}
			if _, problem, err := f.log.Verify(f.ctx); err != nil || problem != nil {
				t.Errorf("Verify during writes: %v, %v", problem, err)
			}
			runs++
		}
	}()
	close(start)
	wg.Wait()
	close(stop)
	<-verified
	f.verifyOK(t, writers)
	list, err := f.log.List(f.ctx, audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != writers {
		t.Fatalf("%d entries; want %d", len(list), writers)
	}
	seen := map[string]bool{}
	for i, e := range list {
		if want := int64(writers - i); e.Seq != want {
			t.Fatalf("seqs are not 1..%d without gaps: position %d has %d", writers, i, e.Seq)
		}
		seen[e.Detail["n"]] = true
	}
	if len(seen) != writers {
		t.Fatalf("%d distinct writers recorded; want %d", len(seen), writers)
	}
}

// EncodeDetail is part of what the hash covers: it must be canonical.
func TestEncodeDetail(t *testing.T) {
	tests := []struct {
		in   map[string]string
		want string
	}{
		{nil, `{}`},
		{map[string]string{}, `{}`},
		{map[string]string{"b": "2", "a": "1", "c": ""}, `{"a":"1","b":"2","c":""}`},
		{map[string]string{"q": `"\<>&`}, `{"q":"\"\\\u003c\u003e\u0026"}`},
		{map[string]string{"z\x00": "ü"}, `{"z\u0000":"ü"}`},
	}
	for _, tt := range tests {
		for range 3 { // map order varies between runs; the encoding must not
			if got := audit.EncodeDetail(tt.in); got != tt.want {
				t.Fatalf("EncodeDetail(%#v) = %s; want %s", tt.in, got, tt.want)
			}
		}
	}
}
