package staff

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// Record is a staff row as stored: personal fields sealed, secrets hashed.
type Record struct {
	ID                 int64
	EmailIndex         string // blind index of the normalised email
	EmailSealed        string
	Role               Role
	PasswordHash       string
	MustChangePassword bool
	TOTPSealed         string // "" when no second factor is enrolled
	TOTPPendingSealed  string // a secret shown for enrolment, not yet confirmed
	TOTPLastStep       int64  // the last accepted TOTP time step; codes are single-use
	FailedLogins       int
	LockedUntil        time.Time
	DisabledAt         time.Time // zero when active
	CreatedAt          time.Time
	PasswordChangedAt  time.Time
	DisplayNameSealed  string // the display name the member chose, sealed; "" when none
}

// ActiveOwner reports whether the member is an owner who is not disabled: the
// installation must always keep at least one.
func (r Record) ActiveOwner() bool { return r.Role == Owner && r.DisabledAt.IsZero() }

// ErrLastOwner is the refusal of a change that would leave no active owner.
var ErrLastOwner = errs.E(errs.Conflict, "That would leave no active owner; make someone else owner first.")

// Session is a signed-in browser, known by the SHA-256 of its token.
type Session struct {
	TokenHash  string
	StaffID    int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	MFAPending bool // the password was right; the second factor is still owed
}

// Store is everything the staff Service needs from storage: NewService takes one
// value for all of its roles, which sqldb.StaffStore fills. Each role is its own
// interface so that a reader sees which part of the service uses what. Not-found is
// an errs.NotFound error.
type Store interface {
	MemberStore
	RecoveryCodeStore
	SessionStore
	SettingStore
}

// MemberStore keeps staff accounts (service.go, manage.go, signin.go, totp.go,
// displayname.go).
type MemberStore interface {
	CreateMember(ctx context.Context, r Record) (int64, error)
	MemberByID(ctx context.Context, id int64) (Record, error)
	MemberByEmailIndex(ctx context.Context, index string) (Record, error)
	ListMembers(ctx context.Context) ([]Record, error)
	// UpdateMember reads the member, applies fn and writes it back in one transaction.
	// It never leaves the installation without an active owner: when fn turns an active
	// owner (Record.ActiveOwner) into anything else and no other active owner exists, it
	// writes nothing and returns ErrLastOwner. The check and the write are atomic, so two
	// such changes at once cannot both pass.
	UpdateMember(ctx context.Context, id int64, fn func(*Record) error) (Record, error)
}

// RecoveryCodeStore keeps the hashes of a member's second-factor recovery codes
// (totp.go, signin.go).
type RecoveryCodeStore interface {
	ReplaceRecoveryCodes(ctx context.Context, staffID int64, hashes []string) error
	// UseRecoveryCode marks an unused code used; not_found when there is none.
	UseRecoveryCode(ctx context.Context, staffID int64, hash string, at time.Time) error
	CountRecoveryCodes(ctx context.Context, staffID int64) (int, error)
}

// SessionStore keeps signed-in browsers by token hash (session.go, signin.go,
// manage.go).
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, hash string) (Session, error)
	UpdateSession(ctx context.Context, hash string, lastSeen time.Time, mfaPending bool) error
	DeleteSession(ctx context.Context, hash string) error
	// DeleteSessions removes every session of a member except the one named (may be "").
	DeleteSessions(ctx context.Context, staffID int64, exceptHash string) error
	DeleteSessionsBefore(ctx context.Context, lastSeen time.Time) (int64, error)
}

// SettingStore keeps installation-wide staff settings by name (manage.go).
type SettingStore interface {
	Setting(ctx context.Context, name string) (string, error)
	SetSetting(ctx context.Context, name, value string) error
}

// Sealer encrypts personal fields and computes blind indexes (package pii).
type Sealer interface {
	SealString(context, plaintext string) (string, error)
	OpenString(context, sealed string) (string, error)
	Index(purpose, value string) string
}

// Auditor appends to the audit log (package audit).
type Auditor interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}
