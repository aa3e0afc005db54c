package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/staff"
)

// StaffStore keeps staff accounts, sessions and settings; it implements staff.Store.
type StaffStore struct{ DB *DB }

func scanStaff(sc interface{ Scan(...any) error }) (staff.Record, error) {
	var r staff.Record
	var must int
	var locked, disabled, created, changed int64
	err := sc.Scan(&r.ID, &r.EmailIndex, &r.EmailSealed, &r.Role, &r.PasswordHash, &must,
		&r.TOTPSealed, &r.TOTPPendingSealed, &r.TOTPLastStep, &r.FailedLogins,
		&locked, &disabled, &created, &changed, &r.DisplayNameSealed)
	if err != nil {
		return r, err
	}
	r.MustChangePassword = must == 1
	r.LockedUntil, r.DisabledAt = millis(locked), millis(disabled)
	r.CreatedAt, r.PasswordChangedAt = millis(created), millis(changed)
	return r, nil
}

// millis turns stored Unix milliseconds into a UTC time; 0 is the zero time.
func millis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// toMillis is the inverse of millis.
func toMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateMember inserts a member and returns its id.
func (s StaffStore) CreateMember(ctx context.Context, r staff.Record) (id int64, err error) {
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		id, err = InsertID(ctx, tx, query("create-member"),
			r.EmailIndex, r.EmailSealed, r.Role, r.PasswordHash, bit(r.MustChangePassword),
			toMillis(r.CreatedAt), toMillis(r.PasswordChangedAt), r.DisplayNameSealed)
		return err
	})
	return id, err
}

// MemberByID returns one member.
func (s StaffStore) MemberByID(ctx context.Context, id int64) (staff.Record, error) {
	return scanStaff(s.DB.QueryRow(ctx, query("member-by-id"), id))
}

// MemberByEmailIndex finds a member by the blind index of their email.
func (s StaffStore) MemberByEmailIndex(ctx context.Context, index string) (staff.Record, error) {
	return scanStaff(s.DB.QueryRow(ctx, query("member-by-email-index"), index))
}

// ListMembers returns every member by id.
func (s StaffStore) ListMembers(ctx context.Context) ([]staff.Record, error) {
	rows, err := s.DB.Query(ctx, query("list-members"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staff.Record
	for rows.Next() {
		r, err := scanStaff(rows)
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// UpdateMember is a read-modify-write of every mutable column in one transaction. It
// refuses (staff.ErrLastOwner) a change that leaves no active owner.
//
// On PostgreSQL, a change to an active owner first locks every active owner row in id
// order, so that two such changes serialize (the second then counts one owner fewer)
// instead of both passing or deadlocking; SQLite's one writer serializes them anyway.
func (s StaffStore) UpdateMember(ctx context.Context, id int64, fn func(*staff.Record) error) (r staff.Record, err error) {
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		owners := -1 // active owners, counted under lock; -1 until counted
		if peek, err := scanStaff(tx.QueryRow(ctx, query("member-by-id"), id)); err != nil {
			return err
		} else if peek.ActiveOwner() {
			if owners, err = lockActiveOwners(ctx, tx); err != nil {
				return err
			}
		}
		r, err = scanStaff(tx.QueryRow(ctx, tx.Dialect().query("lock-member"), id))
		if err != nil {
			return err
		}
		wasOwner := r.ActiveOwner()
		if err := fn(&r); err != nil {
			return err
		}
		if wasOwner && !r.ActiveOwner() {
			if owners < 0 { // became an owner after the peek: count now
				if owners, err = lockActiveOwners(ctx, tx); err != nil {
					return err
				}
			}
			if owners < 2 { // this member is one of them
				return staff.ErrLastOwner
			}
		}
		var disabled any
		if !r.DisabledAt.IsZero() {
			disabled = r.DisabledAt.UnixMilli()
		}
		_, err = tx.Exec(ctx, query("save-member"),
			r.Role, r.PasswordHash, bit(r.MustChangePassword), nullIfEmpty(r.TOTPSealed),
			nullIfEmpty(r.TOTPPendingSealed), r.TOTPLastStep, r.FailedLogins, toMillis(r.LockedUntil),
			disabled, toMillis(r.PasswordChangedAt), r.EmailSealed, r.DisplayNameSealed, id)
		return err
	})
	return r, err
}

// lockActiveOwners locks the active owner rows (PostgreSQL) and counts them.
func lockActiveOwners(ctx context.Context, tx *Tx) (int, error) {
	rows, err := tx.Query(ctx, tx.Dialect().query("lock-active-owners"))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, translate(rows.Err())
}

// CountActiveOwners counts owners not disabled.
func (s StaffStore) CountActiveOwners(ctx context.Context) (n int, err error) {
	err = s.DB.QueryRow(ctx, query("count-active-owners")).Scan(&n)
	return n, err
}

// ReplaceRecoveryCodes swaps a member's recovery codes for new ones (none to clear).
func (s StaffStore) ReplaceRecoveryCodes(ctx context.Context, staffID int64, hashes []string) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, query("clear-recovery-codes"), staffID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.Exec(ctx, query("add-recovery-code"), staffID, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// UseRecoveryCode spends one unused code.
func (s StaffStore) UseRecoveryCode(ctx context.Context, staffID int64, hash string, at time.Time) error {
	return Affected(s.DB.Exec(ctx, query("use-recovery-code"),
		at.UnixMilli(), staffID, hash))
}

// CountRecoveryCodes counts unused codes.
func (s StaffStore) CountRecoveryCodes(ctx context.Context, staffID int64) (n int, err error) {
	err = s.DB.QueryRow(ctx, query("count-recovery-codes"), staffID).Scan(&n)
	return n, err
}

// CreateSession stores a new session.
func (s StaffStore) CreateSession(ctx context.Context, sess staff.Session) error {
	_, err := s.DB.Exec(ctx, query("create-session"),
		sess.TokenHash, sess.StaffID, toMillis(sess.CreatedAt), toMillis(sess.LastSeenAt), bit(sess.MFAPending))
	return err
}

// SessionByHash finds a session by its token hash.
func (s StaffStore) SessionByHash(ctx context.Context, hash string) (staff.Session, error) {
	var sess staff.Session
	var created, seen int64
	var pending int
	err := s.DB.QueryRow(ctx, query("session-by-hash"), hash).
		Scan(&sess.TokenHash, &sess.StaffID, &created, &seen, &pending)
	sess.CreatedAt, sess.LastSeenAt, sess.MFAPending = millis(created), millis(seen), pending == 1
	return sess, err
}

// UpdateSession records activity on a session.
func (s StaffStore) UpdateSession(ctx context.Context, hash string, lastSeen time.Time, mfaPending bool) error {
	return Affected(s.DB.Exec(ctx, query("update-session"), toMillis(lastSeen), bit(mfaPending), hash))
}

// DeleteSession removes one session.
func (s StaffStore) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.DB.Exec(ctx, query("delete-session"), hash)
	return err
}

// DeleteSessions removes every session of a member but one.
func (s StaffStore) DeleteSessions(ctx context.Context, staffID int64, exceptHash string) error {
	_, err := s.DB.Exec(ctx, query("delete-sessions"), staffID, exceptHash)
	return err
}

// DeleteSessionsBefore removes sessions last seen before t.
func (s StaffStore) DeleteSessionsBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.DB.Exec(ctx, query("delete-sessions-before"), t.UnixMilli())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}

// Setting reads one installation setting; not_found when unset.
func (s StaffStore) Setting(ctx context.Context, name string) (v string, err error) {
	err = s.DB.QueryRow(ctx, query("setting"), name).Scan(&v)
	return v, err
}

// SetSetting writes one installation setting.
func (s StaffStore) SetSetting(ctx context.Context, name, value string) error {
	_, err := s.DB.Exec(ctx, query("set-setting"), name, value)
	return err
}

var _ staff.Store = StaffStore{}
