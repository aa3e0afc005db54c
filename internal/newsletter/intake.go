package newsletter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// SealIntake is the sealing context of an acknowledged sign-up's payload.
const SealIntake = "newsletter.intake"

// IntakeGrace is how old an intake row must be before the leftover job processes it:
// younger rows are normally being processed by the after-answer job that stored them.
const IntakeGrace = 5 * time.Second

// intakeBatch bounds the rows one pass of ProcessIntake reads at a time.
const intakeBatch = 100

// Intake is one acknowledged sign-up not yet processed: its Signup, sealed.
type Intake struct {
	ID        int64
	Sealed    string
	CreatedAt time.Time
}

// IntakeStore keeps acknowledged sign-ups until Join has run for them.
type IntakeStore interface {
	// AddIntake stores a sealed sign-up durably and returns its id.
	AddIntake(ctx context.Context, sealed string, at time.Time) (int64, error)
	// Intakes returns up to limit rows stored at or before before, oldest first.
	Intakes(ctx context.Context, before time.Time, limit int) ([]Intake, error)
	// DeleteIntake deletes a row; a row already gone is not an error.
	DeleteIntake(ctx context.Context, id int64) error
}

// intakePayload is a Signup as sealed in an intake row.
type intakePayload struct {
	Email   string  `json:"e"`
	Name    string  `json:"n,omitempty"`
	Lists   []int64 `json:"l"`
	Consent string  `json:"c"`
	Source  string  `json:"s"`
}

// Accept stores a validated sign-up durably (sealed) and returns the id of its intake
// row, for JoinAccepted after the answer. It does the same write whatever Candor knows
// about the address, so /subscribe can acknowledge the sign-up in the same time for a
// known and a new address and still keep it across a crash.
func (s *Service) Accept(ctx context.Context, v Signup) (int64, error) {
	b, err := json.Marshal(intakePayload{Email: v.email, Name: v.name, Lists: v.lists, Consent: v.consent, Source: v.source})
	if err != nil {
		return 0, errs.Wrap(errs.Internal, "", err)
	}
	sealed, err := s.sealer.SealString(SealIntake, string(b))
	if err != nil {
		return 0, err
	}
	return s.store.AddIntake(ctx, sealed, s.now().UTC())
}

// JoinAccepted runs Join for the sign-up stored as intake row id, then deletes the row.
// When Join fails the row stays, for ProcessIntake. Join is idempotent for a sign-up
// (a second run for the same address sends no second mail within ConfirmInterval), so
// the after-answer job and the leftover job may both run it.
func (s *Service) JoinAccepted(ctx context.Context, id int64, v Signup) error {
	if err := s.Join(ctx, v); err != nil {
		return err
	}
	return s.store.DeleteIntake(ctx, id)
}

// ProcessIntake joins every sign-up stored at least grace ago and not yet processed
// (left by a crash or a failed after-answer job), deleting each row once joined, and
// returns how many it joined. `serve` runs it at start-up and periodically. A row that
// cannot be opened (its key is gone) can never be joined: it is deleted and reported.
func (s *Service) ProcessIntake(ctx context.Context, grace time.Duration) (int64, error) {
	before := s.now().UTC().Add(-grace)
	var n int64
	var bad []error
	for {
		rows, err := s.store.Intakes(ctx, before, intakeBatch)
		if err != nil {
			return n, err
		}
		for _, in := range rows {
			v, err := s.openIntake(in.Sealed)
			if err != nil {
				bad = append(bad, fmt.Errorf("sign-up intake %d dropped: %w", in.ID, err))
				if err := s.store.DeleteIntake(ctx, in.ID); err != nil {
					return n, err
				}
				continue
			}
			if err := s.JoinAccepted(ctx, in.ID, v); err != nil {
				// Left for the next pass; stop rather than spin on the same rows.
				return n, errors.Join(append(bad, err)...)
			}
			n++
		}
		if len(rows) < intakeBatch {
			return n, errors.Join(bad...)
		}
	}
}

func (s *Service) openIntake(sealed string) (Signup, error) {
	plain, err := s.sealer.OpenString(SealIntake, sealed)
	if err != nil {
		return Signup{}, err
	}
	var p intakePayload
	if err := json.Unmarshal([]byte(plain), &p); err != nil {
		return Signup{}, err
	}
	return Signup{email: p.Email, name: p.Name, lists: p.Lists, consent: p.Consent, source: p.Source}, nil
}
