package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// These tests pin StaffStore's contract (staff.Store) on both dialects: SQLite by
// default, PostgreSQL when CANDOR_TEST_POSTGRES names a server.

var t0 = time.Date(2031, 1, 2, 3, 4, 5, 6_000_000, time.UTC) // millisecond precision, as stored

func newMember(n int, role staff.Role) staff.Record {
	return staff.Record{
		EmailIndex: fmt.Sprintf("index-%d", n), EmailSealed: fmt.Sprintf("v1.1.sealed-%d", n), Role: role,
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", MustChangePassword: n%2 == 0,
		CreatedAt: t0, PasswordChangedAt: t0.Add(time.Second),
	}
}

func create(t *testing.T, s sqldb.StaffStore, r staff.Record) staff.Record {
	t.Helper()
	id, err := s.CreateMember(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	r.ID = id
	return r
}

// Promise: what the staff domain stores is what it reads back — every field, times in
// UTC to the millisecond, empty secrets as empty — on both databases.
func TestStaffStoreRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqldb.StaffStore{DB: dbtest.Open(t)}
	want := create(t, s, newMember(2, staff.Support))
	got, err := s.MemberByID(ctx, want.ID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("MemberByID = %+v, %v;\nwant %+v", got, err, want)
	}
	if got, err := s.MemberByEmailIndex(ctx, want.EmailIndex); err != nil || got.ID != want.ID {
		t.Fatalf("MemberByEmailIndex = %d, %v", got.ID, err)
	}

	changed, err := s.UpdateMember(ctx, want.ID, func(r *staff.Record) error {
		r.EmailSealed = "v1.2.resealed"
		r.DisplayNameSealed = "v1.2.name"
		r.Role = staff.Admin
		r.PasswordHash = "$argon2id$new"
		r.MustChangePassword = false
		r.TOTPSealed, r.TOTPPendingSealed, r.TOTPLastStep = "v1.1.totp", "v1.1.pending", 12345678901
		r.FailedLogins = 3
		r.LockedUntil = t0.Add(15 * time.Minute)
		r.DisabledAt = t0.Add(time.Hour)
		r.PasswordChangedAt = t0.Add(2 * time.Hour)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.MemberByID(ctx, want.ID)
	if err != nil || !reflect.DeepEqual(got, changed) {
		t.Fatalf("after UpdateMember: %+v, %v;\nwant %+v", got, err, changed)
	}
	if got.EmailIndex != want.EmailIndex || !got.CreatedAt.Equal(t0) {
		t.Fatal("UpdateMember changed the email index or the creation time")
	}
	if got.LockedUntil.Location() != time.UTC || !got.LockedUntil.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("LockedUntil = %v", got.LockedUntil)
	}

	// Clearing: the empty secret and the zero time read back as empty and zero.
	cleared, err := s.UpdateMember(ctx, want.ID, func(r *staff.Record) error {
		r.TOTPSealed, r.TOTPPendingSealed, r.TOTPLastStep = "", "", 0
		r.LockedUntil, r.DisabledAt = time.Time{}, time.Time{}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.MemberByID(ctx, want.ID)
	if err != nil || !reflect.DeepEqual(got, cleared) || got.TOTPSealed != "" || !got.DisabledAt.IsZero() || !got.LockedUntil.IsZero() {
		t.Fatalf("after clearing: %+v, %v", got, err)
	}
	var nulls int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM staff WHERE id = ? AND totp_sealed IS NULL AND totp_pending_sealed IS NULL AND disabled_at IS NULL", want.ID).Scan(&nulls); err != nil || nulls != 1 {
		t.Fatalf("cleared columns are not NULL (%d, %v)", nulls, err)
	}

	other := create(t, s, newMember(3, staff.Owner))
	list, err := s.ListMembers(ctx)
	if err != nil || len(list) != 2 || list[0].ID != want.ID || list[1].ID != other.ID {
		t.Fatalf("ListMembers = %+v, %v; want both, by id", list, err)
	}
}

// Promise: storage errors are coded, so the domain can answer clearly: missing is
// not_found, a duplicate is conflict, a disallowed value is invalid, and a failed
// change leaves the row as it was.
func TestStaffStoreErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqldb.StaffStore{DB: dbtest.Open(t)}
	m := create(t, s, newMember(1, staff.Support))
	boom := errors.New("boom")
	called := false
	tests := []struct {
		name string
		err  func() error
		code errs.Code
	}{
		{"MemberByID missing", func() error { _, err := s.MemberByID(ctx, 9999); return err }, errs.NotFound},
		{"MemberByEmailIndex missing", func() error { _, err := s.MemberByEmailIndex(ctx, "nope"); return err }, errs.NotFound},
		{"UpdateMember missing", func() error {
			_, err := s.UpdateMember(ctx, 9999, func(*staff.Record) error { called = true; return nil })
			return err
		}, errs.NotFound},
		{"duplicate email index", func() error { _, err := s.CreateMember(ctx, newMember(1, staff.Admin)); return err }, errs.Conflict},
		{"unknown role on create", func() error { _, err := s.CreateMember(ctx, newMember(5, "king")); return err }, errs.Invalid},
		{"unknown role on update", func() error {
			_, err := s.UpdateMember(ctx, m.ID, func(r *staff.Record) error { r.Role = "Owner"; r.FailedLogins = 9; return nil })
			return err
		}, errs.Invalid},
		{"session for a missing member", func() error {
			return s.CreateSession(ctx, staff.Session{TokenHash: "h-missing", StaffID: 9999, CreatedAt: t0, LastSeenAt: t0})
		}, errs.Invalid},
		{"SessionByHash missing", func() error { _, err := s.SessionByHash(ctx, "nope"); return err }, errs.NotFound},
		{"UpdateSession missing", func() error { return s.UpdateSession(ctx, "nope", t0, false) }, errs.NotFound},
		{"Setting missing", func() error { _, err := s.Setting(ctx, "nope"); return err }, errs.NotFound},
		{"UseRecoveryCode missing", func() error { return s.UseRecoveryCode(ctx, m.ID, "nope", t0) }, errs.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.err(); !errs.Is(err, tt.code) {
				t.Fatalf("err = %v; want %s", err, tt.code)
			}
		})
	}
	if called {
		t.Fatal("UpdateMember called fn for a missing member")
	}
	if _, err := s.UpdateMember(ctx, m.ID, func(r *staff.Record) error { r.FailedLogins = 4; return boom }); !errors.Is(err, boom) {
		t.Fatalf("UpdateMember returned %v; want fn's error", err)
	}
	if got, _ := s.MemberByID(ctx, m.ID); got.FailedLogins != 0 || got.Role != staff.Support {
		t.Fatalf("a failed UpdateMember changed the row: %+v", got)
	}
}

// Promise: the installation always keeps an active owner — the store refuses, in the
// write's own transaction, a change that would leave none.
func TestStaffStoreKeepsAnOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqldb.StaffStore{DB: dbtest.Open(t)}
	a := create(t, s, newMember(1, staff.Owner))
	b := create(t, s, newMember(2, staff.Owner))
	sup := create(t, s, newMember(3, staff.Support))
	count := func(want int) {
		t.Helper()
		if n, err := s.CountActiveOwners(ctx); err != nil || n != want {
			t.Fatalf("CountActiveOwners = %d, %v; want %d", n, err, want)
		}
	}
	disable := func(r *staff.Record) error { r.DisabledAt = t0; return nil }
	demote := func(r *staff.Record) error { r.Role = staff.Admin; return nil }
	count(2)
	if _, err := s.UpdateMember(ctx, a.ID, disable); err != nil {
		t.Fatal(err)
	}
	count(1)
	for name, fn := range map[string]func(*staff.Record) error{"disable": disable, "demote": demote} {
		if _, err := s.UpdateMember(ctx, b.ID, fn); !errors.Is(err, staff.ErrLastOwner) || !errs.Is(err, errs.Conflict) {
			t.Fatalf("%s the last owner: %v; want ErrLastOwner", name, err)
		}
	}
	count(1)
	// Other changes to the last owner, and changes to other members, are fine.
	if _, err := s.UpdateMember(ctx, b.ID, func(r *staff.Record) error { r.FailedLogins++; return nil }); err != nil {
		t.Fatalf("counting a failure on the last owner: %v", err)
	}
	if _, err := s.UpdateMember(ctx, sup.ID, disable); err != nil {
		t.Fatal(err)
	}
	// A disabled owner being demoted leaves the active count as it was.
	if _, err := s.UpdateMember(ctx, a.ID, demote); err != nil {
		t.Fatalf("demoting a disabled owner: %v", err)
	}
	// Promoting someone makes room.
	if _, err := s.UpdateMember(ctx, sup.ID, func(r *staff.Record) error { r.Role, r.DisabledAt = staff.Owner, time.Time{}; return nil }); err != nil {
		t.Fatal(err)
	}
	count(2)
	if _, err := s.UpdateMember(ctx, b.ID, demote); err != nil {
		t.Fatalf("demoting one of two owners: %v", err)
	}
	count(1)

	// Concurrent demotions of the last two owners: exactly one may pass.
	if _, err := s.UpdateMember(ctx, b.ID, func(r *staff.Record) error { r.Role = staff.Owner; return nil }); err != nil {
		t.Fatal(err)
	}
	for round := range 10 {
		count(2)
		var wg sync.WaitGroup
		results := make([]error, 2)
		start := make(chan struct{})
		for i, id := range []int64{b.ID, sup.ID} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, results[i] = s.UpdateMember(ctx, id, disable)
			}()
		}
		close(start)
		wg.Wait()
		count(1)
		if (results[0] == nil) == (results[1] == nil) {
			t.Fatalf("round %d: results %v, %v; want exactly one refused", round, results[0], results[1])
		}
		for _, id := range []int64{b.ID, sup.ID} {
			if _, err := s.UpdateMember(ctx, id, func(r *staff.Record) error { r.DisabledAt = time.Time{}; return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// Promise: a recovery code works once — even when it is tried twice at the same time.
func TestStaffStoreRecoveryCodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqldb.StaffStore{DB: dbtest.Open(t)}
	m := create(t, s, newMember(1, staff.Support))
	other := create(t, s, newMember(2, staff.Support))
	left := func(id int64, want int) {
		t.Helper()
		if n, err := s.CountRecoveryCodes(ctx, id); err != nil || n != want {
			t.Fatalf("CountRecoveryCodes = %d, %v; want %d", n, err, want)
		}
	}
	if err := s.ReplaceRecoveryCodes(ctx, m.ID, []string{"h1", "h2", "h3"}); err != nil {
		t.Fatal(err)
	}
	left(m.ID, 3)
	left(other.ID, 0)
	if err := s.UseRecoveryCode(ctx, other.ID, "h1", t0); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another member's code: %v; want not_found", err)
	}
	if err := s.UseRecoveryCode(ctx, m.ID, "h1", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.UseRecoveryCode(ctx, m.ID, "h1", t0); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a used code: %v; want not_found", err)
	}
	left(m.ID, 2)

	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	start := make(chan struct{})
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := s.UseRecoveryCode(ctx, m.ID, "h2", t0)
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if !errs.Is(err, errs.NotFound) {
				t.Errorf("UseRecoveryCode: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != 1 {
		t.Fatalf("one recovery code was accepted %d times at once; want 1", ok)
	}
	left(m.ID, 1)

	if err := s.ReplaceRecoveryCodes(ctx, m.ID, []string{"h1", "h4"}); err != nil {
		t.Fatal(err)
	}
	left(m.ID, 2) // replaced: the old used marks are gone with the old codes
	if err := s.ReplaceRecoveryCodes(ctx, m.ID, nil); err != nil {
		t.Fatal(err)
	}
	left(m.ID, 0)
	if err := s.ReplaceRecoveryCodes(ctx, m.ID, []string{"dup", "dup"}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("duplicate codes: %v; want conflict", err)
	}
	left(m.ID, 0) // the failed replacement rolled back entirely
}

// Promise: sessions end when they should — stored by token hash only, found, touched,
// and deleted one, all-but-one, or by age.
func TestStaffStoreSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqldb.StaffStore{DB: dbtest.Open(t)}
	m := create(t, s, newMember(1, staff.Support))
	other := create(t, s, newMember(2, staff.Support))
	sessions := []staff.Session{
		{TokenHash: "a", StaffID: m.ID, CreatedAt: t0, LastSeenAt: t0},
		{TokenHash: "b", StaffID: m.ID, CreatedAt: t0, LastSeenAt: t0.Add(10 * time.Minute), MFAPending: true},
		{TokenHash: "c", StaffID: m.ID, CreatedAt: t0, LastSeenAt: t0.Add(20 * time.Minute)},
		{TokenHash: "d", StaffID: other.ID, CreatedAt: t0, LastSeenAt: t0},
	}
	for _, sess := range sessions {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, sessions[0]); !errs.Is(err, errs.Conflict) {
		t.Fatalf("duplicate token hash: %v; want conflict", err)
	}
	for _, want := range sessions {
		got, err := s.SessionByHash(ctx, want.TokenHash)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("SessionByHash(%s) = %+v, %v; want %+v", want.TokenHash, got, err, want)
		}
	}
	if err := s.UpdateSession(ctx, "b", t0.Add(30*time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SessionByHash(ctx, "b"); got.MFAPending || !got.LastSeenAt.Equal(t0.Add(30*time.Minute)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("after UpdateSession: %+v", got)
	}
	gone := func(hashes ...string) {
		t.Helper()
		for _, h := range hashes {
			if _, err := s.SessionByHash(ctx, h); !errs.Is(err, errs.NotFound) {
				t.Fatalf("session %s: %v; want gone", h, err)
			}
		}
	}
	there := func(hashes ...string) {
		t.Helper()
		for _, h := range hashes {
			if _, err := s.SessionByHash(ctx, h); err != nil {
				t.Fatalf("session %s: %v; want it kept", h, err)
			}
		}
	}
	n, err := s.DeleteSessionsBefore(ctx, t0.Add(5*time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("DeleteSessionsBefore = %d, %v; want 2 (a and d)", n, err)
	}
	gone("a", "d")
	there("b", "c")
	if err := s.CreateSession(ctx, staff.Session{TokenHash: "e", StaffID: other.ID, CreatedAt: t0, LastSeenAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSessions(ctx, m.ID, "c"); err != nil {
		t.Fatal(err)
	}
	gone("b")
	there("c", "e") // the kept one, and another member's
	if err := s.DeleteSession(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, "c"); err != nil {
		t.Fatalf("deleting a deleted session: %v", err)
	}
	gone("c")
	if err := s.DeleteSessions(ctx, other.ID, ""); err != nil {
		t.Fatal(err)
	}
	gone("e")

	// Deleting a member (by hand) takes their sessions and recovery codes along.
	if err := s.CreateSession(ctx, staff.Session{TokenHash: "f", StaffID: other.ID, CreatedAt: t0, LastSeenAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceRecoveryCodes(ctx, other.ID, []string{"r"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(ctx, "DELETE FROM staff WHERE id = ?", other.ID); err != nil {
		t.Fatal(err)
	}
	gone("f")
	if n, _ := s.CountRecoveryCodes(ctx, other.ID); n != 0 {
		t.Fatal("recovery codes outlived their member")
	}
}

func TestStaffStoreSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqldb.StaffStore{DB: dbtest.Open(t)}
	for _, v := range []string{"1", "0", ""} {
		if err := s.SetSetting(ctx, "staff.require_2fa", v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Setting(ctx, "staff.require_2fa"); err != nil || got != v {
			t.Fatalf("Setting = %q, %v; want %q", got, err, v)
		}
	}
	if _, err := s.Setting(ctx, "other"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("unset setting: %v; want not_found", err)
	}
}
