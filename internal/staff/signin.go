package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/limiter"
)

// errSignIn is the one answer to every failed sign-in.
var errSignIn = errs.E(errs.Unauthorized, "The email, password or code is not right.")

// errTOTPReplayed aborts the step update when the code's step was already used.
var errTOTPReplayed = errors.New("staff: TOTP code already used")

// pendingLifetime bounds the gap between the password step and the code step.
const pendingLifetime = 5 * time.Minute

// SignInInput is one sign-in attempt. PendingToken continues an attempt whose password
// was right and whose second factor is owed.
type SignInInput struct {
	Email, Password, Code string
	PendingToken          string
	IP                    string // for throttling only; held in memory, never stored
}

// SignInResult is a successful step: a full session, or (NeedCode) a pending one that
// only the code step can complete.
type SignInResult struct {
	Token    string
	Member   Member
	NeedCode bool
}

// SignIn checks credentials and opens a session. Every failure returns the same
// unauthorized error; too many attempts from one client (an IPv4 address, an IPv6
// /64) return rate_limited.
func (s *Service) SignIn(ctx context.Context, in SignInInput) (SignInResult, error) {
	client := limiter.ClientKey(in.IP)
	if client == "" {
		client = "-" // no address known: such attempts are one client
	}
	if !s.perIP.Allow(client) {
		return SignInResult{}, errs.E(errs.RateLimited, "Too many sign-in attempts; please wait a minute and try again.")
	}
	if in.PendingToken != "" && in.Password == "" {
		return s.completeSecondFactor(ctx, in, client)
	}
	r, err := s.checkPassword(ctx, in.Email, in.Password, client)
	if err != nil {
		return SignInResult{}, err
	}
	if r.TOTPSealed != "" {
		if in.Code == "" {
			token, err := s.newSession(ctx, r.ID, true)
			if err != nil {
				return SignInResult{}, err
			}
			return SignInResult{Token: token, NeedCode: true}, nil
		}
		if err := s.checkSecondFactor(ctx, r, in.Code, client); err != nil {
			return SignInResult{}, err
		}
	}
	return s.finishSignIn(ctx, r, client)
}

// checkPassword finds the member and verifies the password, counting failures towards
// the lockout of the account for this client, and of the account. Unknown emails
// verify a dummy hash to take the same time.
func (s *Service) checkPassword(ctx context.Context, email, password, client string) (Record, error) {
	_, index, err := s.emailIndex(email)
	if err != nil {
		_, _ = s.hasher.Verify(ctx, s.dummy, password)
		return Record{}, errSignIn
	}
	r, err := s.store.MemberByEmailIndex(ctx, index)
	if errs.Is(err, errs.NotFound) {
		_, _ = s.hasher.Verify(ctx, s.dummy, password)
		_ = s.audit.Record(ctx, "anonymous", "staff.signin_failed", "", "reason", "unknown_email")
		return Record{}, errSignIn
	}
	if err != nil {
		return Record{}, err
	}
	ok, err := s.hasher.Verify(ctx, r.PasswordHash, password)
	if err != nil {
		return Record{}, err
	}
	switch {
	case !r.DisabledAt.IsZero():
		return Record{}, s.fail(ctx, r, "disabled", "")
	case s.lockedFor(r, client):
		return Record{}, s.fail(ctx, r, "locked", "")
	case !ok:
		return Record{}, s.fail(ctx, r, "bad_password", client)
	}
	return r, nil
}

// lockedFor reports whether the account is locked for this client: by the client's own
// failures, or for everyone.
func (s *Service) lockedFor(r Record, client string) bool {
	now := s.now()
	return r.LockedUntil.After(now) || s.failed.locked(r.ID, client, now)
}

// fail audits a failed attempt and, when it counts (a client is given), moves the
// account towards lockout for that client (LockoutThreshold) and for everyone
// (AccountLockoutThreshold).
func (s *Service) fail(ctx context.Context, r Record, reason, client string) error {
	detail := []string{"reason", reason}
	if client != "" {
		now := s.now().UTC()
		if until := s.failed.fail(r.ID, client, now, s.opts.LockoutThreshold, s.opts.LockoutDuration); !until.IsZero() {
			detail = append(detail, "locked_until", until.Format(time.RFC3339))
		}
		updated, err := s.store.UpdateMember(ctx, r.ID, func(r *Record) error {
			r.FailedLogins++
			if r.FailedLogins >= s.opts.AccountLockoutThreshold {
				r.LockedUntil = now.Add(s.opts.LockoutDuration)
				r.FailedLogins = 0
			}
			return nil
		})
		if err == nil && updated.LockedUntil.After(now) && !r.LockedUntil.After(now) {
			detail = append(detail, "account_locked_until", updated.LockedUntil.Format(time.RFC3339))
		}
	}
	_ = s.audit.Record(ctx, Subject(r.ID), "staff.signin_failed", Subject(r.ID), detail...)
	return errSignIn
}

func (s *Service) completeSecondFactor(ctx context.Context, in SignInInput, client string) (SignInResult, error) {
	hash := HashToken(in.PendingToken)
	sess, err := s.store.SessionByHash(ctx, hash)
	if err != nil || !sess.MFAPending || s.now().Sub(sess.CreatedAt) > pendingLifetime {
		return SignInResult{}, errSignIn
	}
	r, err := s.store.MemberByID(ctx, sess.StaffID)
	if err != nil || !r.DisabledAt.IsZero() || s.lockedFor(r, client) {
		return SignInResult{}, errSignIn
	}
	if err := s.checkSecondFactor(ctx, r, in.Code, client); err != nil {
		return SignInResult{}, err
	}
	_ = s.store.DeleteSession(ctx, hash) // the pending token is spent; a fresh one follows
	return s.finishSignIn(ctx, r, client)
}

// checkSecondFactor accepts a current TOTP code (once) or an unused recovery code.
func (s *Service) checkSecondFactor(ctx context.Context, r Record, code, client string) error {
	secret, err := s.sealer.OpenString(ctxTOTP, r.TOTPSealed)
	if err != nil {
		return err
	}
	if step, ok := matchTOTP(secret, code, s.now()); ok {
		// Compare with the last accepted step inside the write's transaction: r was read
		// before the (slow) password check, and the same code may arrive twice at once.
		_, err := s.store.UpdateMember(ctx, r.ID, func(cur *Record) error {
			if cur.TOTPSealed != r.TOTPSealed || step <= cur.TOTPLastStep {
				return errTOTPReplayed
			}
			cur.TOTPLastStep = step
			return nil
		})
		if errors.Is(err, errTOTPReplayed) {
			return s.fail(ctx, r, "totp_replayed", client)
		}
		return err
	}
	if normalized, ok := normalizeRecoveryCode(code); ok {
		err := s.store.UseRecoveryCode(ctx, r.ID, s.sealer.Index("staff.recovery", normalized), s.now().UTC())
		if err == nil {
			_ = s.audit.Record(ctx, Subject(r.ID), "staff.recovery_code_used", Subject(r.ID))
			return nil
		}
	}
	return s.fail(ctx, r, "bad_code", client)
}

func (s *Service) finishSignIn(ctx context.Context, r Record, client string) (SignInResult, error) {
	s.failed.reset(r.ID, client)
	if _, err := s.store.UpdateMember(ctx, r.ID, func(r *Record) error {
		r.FailedLogins, r.LockedUntil = 0, time.Time{}
		return nil
	}); err != nil {
		return SignInResult{}, err
	}
	token, err := s.newSession(ctx, r.ID, false)
	if err != nil {
		return SignInResult{}, err
	}
	m, err := s.member(r)
	if err != nil {
		return SignInResult{}, err
	}
	_ = s.audit.Record(ctx, Subject(r.ID), "staff.signin", Subject(r.ID), "second_factor", strconv.FormatBool(r.TOTPSealed != ""))
	return SignInResult{Token: token, Member: m}, nil
}

// newSession creates a session with a fresh random token and returns the token; only
// its hash is stored.
func (s *Service) newSession(ctx context.Context, staffID int64, mfaPending bool) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now().UTC()
	err := s.store.CreateSession(ctx, Session{TokenHash: HashToken(token), StaffID: staffID, CreatedAt: now, LastSeenAt: now, MFAPending: mfaPending})
	return token, err
}

// HashToken is how a random bearer secret (a session token, a statistics API token) is
// stored and looked up: hex SHA-256 (the secret has 256 bits, so no salt or stretching).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
