package staff

import (
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
)

// Sealing contexts (bound into each sealed value; storage re-seals by them) and
// blind-index purposes for staff fields.
const (
	SealEmail  = "staff.email"
	SealTOTP   = "staff.totp"
	SealName   = "staff.name" // the display name (see SetDisplayName)
	indexEmail = "staff.email"
	ctxEmail   = SealEmail
	ctxTOTP    = SealTOTP
	ctxName    = SealName
)

// Member is a staff account as the rest of Candor sees it: the email opened, no secrets.
type Member struct {
	ID                 int64
	Email              pii.Email
	DisplayName        string // chosen by the member for colleagues; "" when unset
	Role               Role
	HasTOTP            bool
	MustChangePassword bool
	Disabled           bool
	Locked             bool
	CreatedAt          time.Time
}

// Principal returns the member acting as themself.
func (m Member) Principal() Principal {
	return Principal{ID: m.ID, Role: m.Role, Name: Subject(m.ID)}
}

func (s *Service) member(r Record) (Member, error) {
	plain, err := s.sealer.OpenString(ctxEmail, r.EmailSealed)
	if err != nil {
		return Member{}, errs.Wrap(errs.Internal, "", err)
	}
	email, err := pii.NewEmail(plain)
	if err != nil {
		return Member{}, errs.Wrap(errs.Internal, "", err)
	}
	name, err := s.openName(r)
	if err != nil {
		return Member{}, err
	}
	return Member{
		ID: r.ID, Email: email, DisplayName: name, Role: r.Role, HasTOTP: r.TOTPSealed != "",
		MustChangePassword: r.MustChangePassword, Disabled: !r.DisabledAt.IsZero(),
		Locked: r.LockedUntil.After(s.now()), CreatedAt: r.CreatedAt,
	}, nil
}

// emailIndex normalises an email and returns its blind index.
func (s *Service) emailIndex(email string) (string, string, error) {
	norm, err := pii.NormalizeEmail(email)
	if err != nil {
		return "", "", errs.InvalidField("email", "Please enter a valid email address.")
	}
	return norm, s.sealer.Index(indexEmail, norm), nil
}
