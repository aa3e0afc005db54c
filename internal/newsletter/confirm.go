package newsletter

import (
	"context"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// CheckConfirm validates a confirmation link without acting on it (the GET page), so a
// mail scanner that follows links confirms nothing.
func (s *Service) CheckConfirm(ctx context.Context, raw string) error {
	t, err := s.open(raw, purposeConfirm)
	if err != nil {
		return err
	}
	if _, err := s.store.SubscriberByID(ctx, t.Subscriber); err != nil {
		return errBadLink // purged or unsubscribed since the mail was sent
	}
	return nil
}

// Confirm completes the double opt-in (the POST behind the page's button). A link
// confirms the name and consent record submitted with it (what is stored for a pending
// subscriber is replaced by each later sign-up), and it is good for the lists it names
// as they were when it was mailed: a list the subscriber left (or joined) after that is
// not changed by it, so replaying an old confirmation link cannot undo a later choice
// on the preferences page.
func (s *Service) Confirm(ctx context.Context, raw string) error {
	t, err := s.open(raw, purposeConfirm)
	if err != nil {
		return err
	}
	if _, err := s.store.SubscriberByID(ctx, t.Subscriber); err != nil {
		return errBadLink
	}
	issued := time.UnixMilli(t.Issued)
	if t.Issued == 0 {
		issued = time.Unix(t.Expires, 0).Add(-s.opts.ConfirmTTL)
	}
	// The link confirms the sign-up it was mailed for: a later sign-up with the same
	// address (by anyone) replaced what is stored, but not what this link carries.
	var signup *SignupDetails
	if t.Signup != nil {
		name, err := s.sealName(t.Signup.Name)
		if err != nil {
			return err
		}
		signup = &SignupDetails{NameSealed: name, ConsentSource: t.Signup.ConsentSource, ConsentTextHash: t.Signup.ConsentTextHash}
	}
	return s.store.Confirm(ctx, t.Subscriber, t.Lists, signup, issued.UTC(), s.now().UTC())
}

// Preferences returns the lists of the subscriber behind an unsubscribe link.
func (s *Service) Preferences(ctx context.Context, raw string) ([]Membership, error) {
	t, err := s.open(raw, purposeUnsubscribe)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.Memberships(ctx, t.Subscriber)
	if err != nil || len(ms) == 0 {
		return nil, errs.E(errs.NotFound, "You are not subscribed any more.")
	}
	return ms, nil
}

// SetPreferences keeps the subscriber on exactly the given lists; none means
// unsubscribing from everything, which erases them.
func (s *Service) SetPreferences(ctx context.Context, raw string, keep []int64) error {
	t, err := s.open(raw, purposeUnsubscribe)
	if err != nil {
		return err
	}
	if len(keep) == 0 {
		return s.unsubscribe(ctx, t)
	}
	ms, err := s.store.Memberships(ctx, t.Subscriber)
	if err != nil {
		return err
	}
	want := map[int64]bool{}
	for _, m := range ms {
		want[m.List.ID] = false
	}
	for _, id := range keep {
		if _, ok := want[id]; !ok {
			return errs.InvalidField("list", "There is no such list.")
		}
		want[id] = true
	}
	return s.store.SetMemberships(ctx, t.Subscriber, want, s.now().UTC())
}

// Unsubscribe is the one-click unsubscribe (RFC 8058): the subscriber is erased and only
// the blind index of the address stays, in the suppression list. Unsubscribing twice is
// not an error.
func (s *Service) Unsubscribe(ctx context.Context, raw string) error {
	t, err := s.open(raw, purposeUnsubscribe)
	if err != nil {
		return err
	}
	return s.unsubscribe(ctx, t)
}

func (s *Service) unsubscribe(ctx context.Context, t token) error {
	err := s.store.Erase(ctx, t.Subscriber, "unsubscribed", t.Campaign, s.now().UTC())
	if errs.Is(err, errs.NotFound) {
		return nil // already gone
	}
	if err == nil {
		err = s.audit.Record(ctx, "subscriber", "subscriber.unsubscribed", "subscriber:"+strconv.FormatInt(t.Subscriber, 10),
			"campaign", strconv.FormatInt(t.Campaign, 10))
	}
	return err
}

// PurgePending deletes sign-ups left unconfirmed past the pending TTL.
func (s *Service) PurgePending(ctx context.Context) (int64, error) {
	return s.store.PurgePending(ctx, s.now().Add(-s.opts.PendingTTL))
}
