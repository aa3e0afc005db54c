package staff

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/candor-dev/candor/internal/errs"
)

// TOTP parameters: RFC 6238 defaults, which every authenticator app supports.
const (
	totpPeriod       = 30
	totpSkew         = 1 // accept one step either side for clock drift
	recoveryCodeN    = 10
	recoveryCodeLen  = 10 // base32 characters, shown as xxxxx-xxxxx
	recoveryAlphabet = "abcdefghijklmnopqrstuvwxyz234567"
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// matchTOTP returns the time step whose code equals code, within the allowed skew.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix((step+d)*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + d, true
		}
	}
	return 0, false
}

// Enrolment is a second factor being set up: the secret to type in, and the otpauth URL
// that the QR code encodes.
type Enrolment struct {
	Secret string
	URL    string
}

// BeginTOTP creates a new secret for the member's own enrolment, kept sealed as pending
// until ConfirmTOTP proves the authenticator has it.
func (s *Service) BeginTOTP(ctx context.Context, actor Principal) (Enrolment, error) {
	m, err := s.Get(ctx, actor, actor.ID)
	if err != nil {
		return Enrolment{}, err
	}
	if m.HasTOTP {
		return Enrolment{}, errs.E(errs.Conflict, "A second factor is already set up. An owner can reset it.")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.opts.Issuer, AccountName: m.Email.Reveal(), Period: totpPeriod, SecretSize: 20})
	if err != nil {
		return Enrolment{}, err
	}
	sealed, err := s.sealer.SealString(ctxTOTP, key.Secret())
	if err != nil {
		return Enrolment{}, err
	}
	if _, err := s.store.UpdateMember(ctx, actor.ID, func(r *Record) error { r.TOTPPendingSealed = sealed; return nil }); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// ConfirmTOTP activates the pending secret when code matches it, and returns fresh
// recovery codes, shown once: only their keyed hashes are stored.
func (s *Service) ConfirmTOTP(ctx context.Context, actor Principal, code string) ([]string, error) {
	r, err := s.store.MemberByID(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	if r.TOTPPendingSealed == "" {
		return nil, errs.E(errs.Invalid, "Start the set-up again: no second factor is waiting for confirmation.")
	}
	secret, err := s.sealer.OpenString(ctxTOTP, r.TOTPPendingSealed)
	if err != nil {
		return nil, err
	}
	step, ok := matchTOTP(secret, code, s.now())
	if !ok {
		return nil, errs.InvalidField("code", "That code does not match. Check the time on your phone and try the next code.")
	}
	codes, hashes, err := s.newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	if _, err := s.store.UpdateMember(ctx, actor.ID, func(r *Record) error {
		r.TOTPSealed, r.TOTPPendingSealed, r.TOTPLastStep = r.TOTPPendingSealed, "", step
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.store.ReplaceRecoveryCodes(ctx, actor.ID, hashes); err != nil {
		return nil, err
	}
	return codes, s.audit.Record(ctx, actor.Name, "staff.2fa_enrolled", actor.Name)
}

// Reset2FA removes a member's second factor and recovery codes (manager or CLI), and
// signs them out everywhere.
func (s *Service) Reset2FA(ctx context.Context, actor Principal, id int64) (Member, error) {
	m, err := s.update(ctx, actor, id, "staff.reset_2fa", func(r *Record) error {
		r.TOTPSealed, r.TOTPPendingSealed, r.TOTPLastStep = "", "", 0
		return nil
	})
	if err != nil {
		return m, err
	}
	if err := s.store.ReplaceRecoveryCodes(ctx, id, nil); err != nil {
		return m, err
	}
	return m, s.store.DeleteSessions(ctx, id, "")
}

// RecoveryCodesLeft counts the member's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, actor Principal) (int, error) {
	return s.store.CountRecoveryCodes(ctx, actor.ID)
}

func (s *Service) newRecoveryCodes() (codes, hashes []string, err error) {
	enc := base32.NewEncoding(recoveryAlphabet).WithPadding(base32.NoPadding)
	for range recoveryCodeN {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, nil, err
		}
		c := enc.EncodeToString(b[:])[:recoveryCodeLen]
		codes = append(codes, c[:5]+"-"+c[5:])
		hashes = append(hashes, s.sealer.Index("staff.recovery", c))
	}
	return codes, hashes, nil
}

// normalizeRecoveryCode lower-cases a typed recovery code and drops separators.
func normalizeRecoveryCode(code string) (string, bool) {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	if len(c) != recoveryCodeLen || strings.Trim(c, recoveryAlphabet) != "" {
		return "", false
	}
	return c, true
}
