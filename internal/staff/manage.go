package staff

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// update applies fn to a member on behalf of actor and audits the action. A change
// that would leave the installation without an active owner fails with ErrLastOwner:
// the store checks it in the same transaction as the write (see Store.UpdateMember), so
// two managers demoting the last two owners at once cannot both succeed.
func (s *Service) update(ctx context.Context, actor Principal, id int64, action string, fn func(*Record) error, detail ...string) (Member, error) {
	if err := actor.Require(ManageStaff); err != nil {
		return Member{}, err
	}
	after, err := s.store.UpdateMember(ctx, id, fn)
	if err != nil {
		return Member{}, err
	}
	_ = s.audit.Record(ctx, actor.Name, action, Subject(id), detail...)
	return s.member(after)
}

// SetRole changes a member's role.
func (s *Service) SetRole(ctx context.Context, actor Principal, id int64, role Role) (Member, error) {
	role, err := ParseRole(string(role))
	if err != nil {
		return Member{}, errs.InvalidField("role", err.Error())
	}
	return s.update(ctx, actor, id, "staff.set_role", func(r *Record) error {
		r.Role = role
		return nil
	}, "role", string(role))
}

// Disable blocks a member from signing in and ends their sessions; Enable undoes it.
func (s *Service) Disable(ctx context.Context, actor Principal, id int64) (Member, error) {
	m, err := s.update(ctx, actor, id, "staff.disable", func(r *Record) error {
		if r.DisabledAt.IsZero() {
			r.DisabledAt = s.now().UTC()
		}
		return nil
	})
	if err == nil {
		err = s.store.DeleteSessions(ctx, id, "")
	}
	return m, err
}

// Enable lets a disabled member sign in again, and lifts every lock of the account.
func (s *Service) Enable(ctx context.Context, actor Principal, id int64) (Member, error) {
	m, err := s.update(ctx, actor, id, "staff.enable", func(r *Record) error {
		r.DisabledAt = time.Time{}
		r.FailedLogins, r.LockedUntil = 0, time.Time{}
		return nil
	})
	if err == nil {
		s.failed.reset(id, "")
	}
	return m, err
}

// ResetPassword sets a new password chosen by a manager (the member must change it at
// next sign-in) and signs the member out everywhere.
func (s *Service) ResetPassword(ctx context.Context, actor Principal, id int64, password string) (Member, error) {
	if err := actor.Require(ManageStaff); err != nil {
		return Member{}, err
	}
	hash, err := s.newPasswordHash(ctx, password)
	if err != nil {
		return Member{}, err
	}
	m, err := s.update(ctx, actor, id, "staff.reset_password", func(r *Record) error {
		r.PasswordHash, r.PasswordChangedAt = hash, s.now().UTC()
		r.MustChangePassword = actor.ID != id
		r.FailedLogins, r.LockedUntil = 0, time.Time{}
		return nil
	})
	if err == nil {
		err = s.store.DeleteSessions(ctx, id, "")
	}
	return m, err
}

// ChangePassword is a member changing their own password: the current one is required,
// and every other session of theirs is revoked (the current one, keepHash, stays).
func (s *Service) ChangePassword(ctx context.Context, actor Principal, current, next, keepHash string) error {
	// A stolen session must not become a password oracle: guesses share the
	// per-client sign-in budget, keyed by member instead of IP.
	if !s.perIP.Allow("change-password:" + Subject(actor.ID)) {
		return errs.E(errs.RateLimited, "Too many attempts; please wait a minute and try again.")
	}
	r, err := s.store.MemberByID(ctx, actor.ID)
	if err != nil {
		return err
	}
	// Wrong current passwords count toward the account's lockout like wrong sign-ins,
	// the session being the client: five lock this form for the session.
	client := "session:" + keepHash
	if s.lockedFor(r, client) {
		return errs.E(errs.RateLimited, "Too many wrong passwords; please wait a quarter of an hour and try again.")
	}
	ok, err := s.hasher.Verify(ctx, r.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		_ = s.fail(ctx, r, "bad_current_password", client)
		return errs.InvalidField("current", "The current password is wrong.")
	}
	if current == next {
		return errs.InvalidField("password", "The new password must differ from the current one.")
	}
	hash, err := s.newPasswordHash(ctx, next)
	if err != nil {
		return err
	}
	if _, err := s.store.UpdateMember(ctx, actor.ID, func(r *Record) error {
		r.PasswordHash, r.PasswordChangedAt, r.MustChangePassword = hash, s.now().UTC(), false
		return nil
	}); err != nil {
		return err
	}
	if err := s.store.DeleteSessions(ctx, actor.ID, keepHash); err != nil {
		return err
	}
	return s.audit.Record(ctx, actor.Name, "staff.change_password", actor.Name)
}

func (s *Service) newPasswordHash(ctx context.Context, pw string) (string, error) {
	if err := CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	return s.hasher.Hash(ctx, pw)
}

// Setting names.
const settingRequire2FA = "staff.require_2fa"

// Require2FA reports whether every member must enrol a second factor.
func (s *Service) Require2FA(ctx context.Context) bool {
	v, err := s.store.Setting(ctx, settingRequire2FA)
	return err == nil && v == "1"
}

// SetRequire2FA turns the all-staff second-factor requirement on or off (owners only).
func (s *Service) SetRequire2FA(ctx context.Context, actor Principal, on bool) error {
	if err := actor.Require(ManageStaff); err != nil {
		return err
	}
	v := "0"
	if on {
		v = "1"
	}
	if err := s.store.SetSetting(ctx, settingRequire2FA, v); err != nil {
		return err
	}
	return s.audit.Record(ctx, actor.Name, "settings.require_2fa", "", "on", v)
}
