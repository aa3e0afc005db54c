package privacy

import (
	"context"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// ErasureResult says what an erasure did.
type ErasureResult struct {
	RequestID int64
	Counts    Counts // Held: paid orders kept only for the legal retention
	Erased    int    // orders whose buyer was erased at once
}

// EraseSubject erases everything held under email for staff; the request is recorded
// and audited. See ErasureResult and the package invariants for what becomes of each record.
func (s *Service) EraseSubject(ctx context.Context, actor staff.Principal, email string) (ErasureResult, error) {
	if err := requireStaff(actor); err != nil {
		return ErasureResult{}, err
	}
	return s.erase(ctx, actor.Name, StaffDesk, email)
}

// EraseSelf is EraseSubject for the person themself, after they proved control of the address.
func (s *Service) EraseSelf(ctx context.Context, email string) (ErasureResult, error) {
	return s.erase(ctx, SelfActor, SelfService, email)
}

// legallyKept reports whether a law requires keeping the order's buyer (a payment was
// taken, so it is an accounting record), or a payment may still complete. Abandoned
// and failed checkouts are not: their buyer is erased at once.
func legallyKept(o shop.Order) bool {
	switch o.Status {
	case shop.Failed:
		return false
	case shop.Pending:
		return o.AttemptState != shop.AttemptOpen && o.AttemptState != shop.AttemptDone
	}
	return true
}

func (s *Service) erase(ctx context.Context, actor string, ch Channel, email string) (ErasureResult, error) {
	r, norm, err := s.begin(ctx, actor, ch, Erase, email)
	if err != nil {
		return ErasureResult{}, err
	}
	if s.intake != nil {
		if _, err := s.intake.ProcessIntake(ctx, 0); err != nil {
			return ErasureResult{}, errs.Wrap(errs.Unavailable, "Recent newsletter sign-ups could not be stored first, so nothing was erased; try again.", err)
		}
	}
	ix := indexes(s.sealer, norm)
	h, err := s.store.Holdings(ctx, ix)
	if err != nil {
		return ErasureResult{}, err
	}
	now := s.now().UTC()
	res := ErasureResult{RequestID: r.ID}
	if len(h.Outbox) > 0 {
		ids := make([]int64, len(h.Outbox))
		for i, m := range h.Outbox {
			ids[i] = m.Message.ID
		}
		n, err := s.store.DeleteOutbox(ctx, ids)
		if err != nil {
			return res, err
		}
		res.Counts.Outbox = int(n)
	}
	if h.Subscriber != nil {
		if err := s.store.EraseSubscriber(ctx, h.Subscriber.Record.ID, now); err != nil {
			return res, err
		}
		res.Counts.Subscriber = 1
	}
	if len(h.Conversations) > 0 {
		ids := make([]int64, len(h.Conversations))
		for i, c := range h.Conversations {
			ids[i] = c.Record.ID
		}
		n, err := s.store.EraseConversations(ctx, ids)
		if err != nil {
			return res, err
		}
		res.Counts.Conversations = int(n)
	}
	var erase, hold []int64
	for _, o := range h.Orders {
		res.Counts.Orders++
		switch {
		case !legallyKept(o.Order):
			erase = append(erase, o.Order.ID)
		case o.ErasureRequestedAt.IsZero():
			hold = append(hold, o.Order.ID)
		}
	}
	if err := s.store.EraseBuyerIdentity(ctx, erase...); err != nil {
		return res, err
	}
	if err := s.store.HoldOrders(ctx, ix.HeldOrder, now, hold...); err != nil {
		return res, err
	}
	res.Erased, res.Counts.Held = len(erase), res.Counts.Orders-len(erase)
	if err := s.store.Compact(ctx); err != nil {
		return res, err
	}
	return res, s.finish(ctx, r, "privacy.erase", res.Counts)
}
