package staff

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/limiter"
)

// Options tune sessions and throttling; zero fields take the defaults.
type Options struct {
	IdleTimeout      time.Duration // default 30 min
	AbsoluteTimeout  time.Duration // default 12 h
	LockoutThreshold int           // failures from one client before the account locks for that client; default 5
	LockoutDuration  time.Duration // default 15 min

	// AccountLockoutThreshold is how many failures from all clients together lock
	// the account for everyone (distributed guessing); default 50.
	AccountLockoutThreshold int
	HashConcurrency         int    // argon2id hashes at once; default 2
	Issuer                  string // TOTP issuer shown in authenticator apps; default "Candor"
}

func (o Options) withDefaults() Options {
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 30 * time.Minute
	}
	if o.AbsoluteTimeout <= 0 {
		o.AbsoluteTimeout = 12 * time.Hour
	}
	if o.LockoutThreshold <= 0 {
		o.LockoutThreshold = 5
	}
	if o.AccountLockoutThreshold <= 0 {
		o.AccountLockoutThreshold = 50
	}
	if o.LockoutDuration <= 0 {
		o.LockoutDuration = 15 * time.Minute
	}
	if o.HashConcurrency <= 0 {
		o.HashConcurrency = 2
	}
	if o.Issuer == "" {
		o.Issuer = "Candor"
	}
	return o
}

// Service is the staff domain: accounts, sign-in, sessions and the second factor.
type Service struct {
	store  Store
	sealer Sealer
	audit  Auditor
	hasher *Hasher
	opts   Options
	perIP  *limiter.Limiter[string] // sign-in attempts per client IP, in memory only
	failed *clientFailures          // failures per account and client, in memory only
	now    func() time.Time
	dummy  string // a hash verified for unknown emails, so they take as long as known ones
}

// NewService builds the staff domain.
func NewService(ctx context.Context, store Store, sealer Sealer, auditor Auditor, opts Options) (*Service, error) {
	opts = opts.withDefaults()
	s := &Service{
		store: store, sealer: sealer, audit: auditor, opts: opts,
		hasher: NewHasher(opts.HashConcurrency),
		perIP:  limiter.New[string](20, time.Minute, 100_000),
		failed: newClientFailures(100_000),
		now:    time.Now,
	}
	dummy, err := s.hasher.Hash(ctx, "candor-dummy-password")
	if err != nil {
		return nil, err
	}
	s.dummy = dummy
	return s, nil
}

// Options returns the effective options.
func (s *Service) Options() Options { return s.opts }

// Add creates a staff member. Only principals with ManageStaff may; the command line may.
func (s *Service) Add(ctx context.Context, actor Principal, email string, role Role, password string, mustChange bool) (Member, error) {
	if err := actor.Require(ManageStaff); err != nil {
		return Member{}, err
	}
	role, err := ParseRole(string(role))
	if err != nil {
		return Member{}, errs.InvalidField("role", err.Error())
	}
	norm, index, err := s.emailIndex(email)
	if err != nil {
		return Member{}, err
	}
	if err := CheckPasswordPolicy(password); err != nil {
		return Member{}, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return Member{}, err
	}
	sealed, err := s.sealer.SealString(ctxEmail, norm)
	if err != nil {
		return Member{}, err
	}
	now := s.now().UTC()
	id, err := s.store.CreateMember(ctx, Record{
		EmailIndex: index, EmailSealed: sealed, Role: role, PasswordHash: hash,
		MustChangePassword: mustChange, CreatedAt: now, PasswordChangedAt: now,
	})
	if errs.Is(err, errs.Conflict) {
		return Member{}, errs.InvalidField("email", "A staff member with that email already exists.")
	}
	if err != nil {
		return Member{}, err
	}
	_ = s.audit.Record(ctx, actor.Name, "staff.add", Subject(id), "role", string(role))
	return s.Get(ctx, CLI, id)
}

// Get returns one member. Members may read themselves; ManageStaff reads anyone.
func (s *Service) Get(ctx context.Context, actor Principal, id int64) (Member, error) {
	if actor.ID != id {
		if err := actor.Require(ManageStaff); err != nil {
			return Member{}, err
		}
	}
	r, err := s.store.MemberByID(ctx, id)
	if err != nil {
		return Member{}, err
	}
	return s.member(r)
}

// SubjectMay reports whether the one named subject in the audit log ("staff:ID", or
// "cli") may still do perm: an enabled member whose role allows it, or the command line.
// Things a member made that act on their behalf (API tokens) are worth no more than this.
// A member who no longer exists, or any other name, may not.
func (s *Service) SubjectMay(ctx context.Context, subject string, perm Permission) (bool, error) {
	if subject == CLI.Name {
		return CLI.Can(perm), nil
	}
	digits, ok := strings.CutPrefix(subject, "staff:")
	id, err := strconv.ParseInt(digits, 10, 64)
	if !ok || err != nil || id <= 0 {
		return false, nil
	}
	r, err := s.store.MemberByID(ctx, id)
	switch {
	case errs.Is(err, errs.NotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return r.DisabledAt.IsZero() && r.Role.Can(perm), nil
}

// FindByEmail returns the member with that email (for the command line).
func (s *Service) FindByEmail(ctx context.Context, actor Principal, email string) (Member, error) {
	if err := actor.Require(ManageStaff); err != nil {
		return Member{}, err
	}
	_, index, err := s.emailIndex(email)
	if err != nil {
		return Member{}, err
	}
	r, err := s.store.MemberByEmailIndex(ctx, index)
	if err != nil {
		return Member{}, errs.Wrap(errs.NotFound, "No staff member has that email.", err)
	}
	return s.member(r)
}

// List returns every member. Listing staff is itself a view of personal data: audited.
func (s *Service) List(ctx context.Context, actor Principal) ([]Member, error) {
	if err := actor.Require(ManageStaff); err != nil {
		return nil, err
	}
	// Fail closed: no view of personal data without its audit entry.
	if err := s.audit.Record(ctx, actor.Name, "staff.list", ""); err != nil {
		return nil, err
	}
	recs, err := s.store.ListMembers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(recs))
	for _, r := range recs {
		m, err := s.member(r)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
