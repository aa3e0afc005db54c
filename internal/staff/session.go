package staff

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// touchEvery limits how often a busy session's last-seen time is written.
const touchEvery = time.Minute

// Authenticate resolves a session token to its member, enforcing the idle and absolute
// timeouts; an expired session is deleted. Pending (second-factor) sessions do not
// authenticate.
func (s *Service) Authenticate(ctx context.Context, token string) (Member, error) {
	unauth := errs.E(errs.Unauthorized, "Please sign in.")
	if token == "" || len(token) > 128 {
		return Member{}, unauth
	}
	hash := HashToken(token)
	sess, err := s.store.SessionByHash(ctx, hash)
	if errs.Is(err, errs.NotFound) {
		return Member{}, unauth
	}
	if err != nil {
		return Member{}, err
	}
	now := s.now()
	if sess.MFAPending || now.Sub(sess.LastSeenAt) > s.opts.IdleTimeout || now.Sub(sess.CreatedAt) > s.opts.AbsoluteTimeout {
		if !sess.MFAPending {
			_ = s.store.DeleteSession(ctx, hash)
		}
		return Member{}, unauth
	}
	r, err := s.store.MemberByID(ctx, sess.StaffID)
	if err != nil || !r.DisabledAt.IsZero() {
		return Member{}, unauth
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.store.UpdateSession(ctx, hash, now.UTC(), false); err != nil {
			return Member{}, err
		}
	}
	return s.member(r)
}

// SignOut ends the session with this token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	hash := HashToken(token)
	sess, err := s.store.SessionByHash(ctx, hash)
	if err != nil {
		return nil // already gone
	}
	_ = s.audit.Record(ctx, Subject(sess.StaffID), "staff.signout", Subject(sess.StaffID))
	return s.store.DeleteSession(ctx, hash)
}

// PurgeSessions deletes sessions idle past the timeout; run it periodically.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	return s.store.DeleteSessionsBefore(ctx, s.now().Add(-s.opts.IdleTimeout))
}
