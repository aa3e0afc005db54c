package newsletter

import (
	"context"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/shop"
)

// Purpose limitation (issue 10 §6): an address Candor holds only because the person
// wrote to the inbox or bought something was given "for administrative and
// identification purposes only". No import, API call or staff action makes it a
// confirmed subscriber: the import refuses it (and the preview says which rows and
// why); the person can still subscribe themself through the form, with double opt-in.

// OriginStore tells which addresses Candor holds for purposes other than the newsletter.
type OriginStore interface {
	// HeldElsewhere returns which of the given blind indexes are used by a contact
	// conversation (contact indexes) or an order (order indexes, held ones included).
	HeldElsewhere(ctx context.Context, contactIdx, orderIdx []string) (map[string]bool, error)
}

// Why an import row is refused.
const (
	refusedInbox  = "known only from the contact inbox: it may not be imported (the person can sign up on the form)"
	refusedOrders = "known only from orders: it may not be imported (the person can sign up on the form)"
)

// heldElsewhere returns, for each normalised address in emails that the caller found
// new (not a subscriber), why it must not be imported; "" when it may be.
func (s *Service) heldElsewhere(ctx context.Context, emails []string) ([]string, error) {
	var ci, oi []string
	for _, e := range emails {
		ci = append(ci, s.sealer.Index(contact.SealEmail, e))
		oi = append(oi, s.sealer.Index(shop.SealEmail, e), s.sealer.Index(shop.IndexHeldOrder, e))
	}
	found, err := s.store.HeldElsewhere(ctx, ci, oi)
	if err != nil {
		return nil, err
	}
	why := make([]string, len(emails))
	for i := range emails {
		switch {
		case found[ci[i]]:
			why[i] = refusedInbox
		case found[oi[2*i]] || found[oi[2*i+1]]:
			why[i] = refusedOrders
		}
	}
	return why, nil
}

// refuseHeldElsewhere drops from rows the new addresses held for other purposes and
// returns the kept rows and the refused ones with the reason.
func (s *Service) refuseHeldElsewhere(ctx context.Context, rows []ImportRow, isNew func(i int) bool) ([]ImportRow, []ImportIssue, error) {
	var fresh []string
	var at []int
	for i, r := range rows {
		if isNew(i) {
			fresh, at = append(fresh, r.Email), append(at, i)
		}
	}
	if len(fresh) == 0 {
		return rows, nil, nil
	}
	why, err := s.heldElsewhere(ctx, fresh)
	if err != nil {
		return nil, nil, err
	}
	drop := map[int]bool{}
	var refused []ImportIssue
	for k, reason := range why {
		if reason != "" {
			drop[at[k]] = true
			refused = append(refused, ImportIssue{Line: rows[at[k]].Line, Value: rows[at[k]].Email, Reason: reason})
		}
	}
	out := make([]ImportRow, 0, len(rows)-len(refused))
	for i, r := range rows {
		if !drop[i] {
			out = append(out, r)
		}
	}
	return out, refused, nil
}

// importable drops, at commit, the rows refused for purpose limitation (checked again:
// the inbox or the shop may have learnt an address since the preview).
func (s *Service) importable(ctx context.Context, batch []ImportRow, res *ImportResult) ([]ImportRow, error) {
	idx := make([]string, len(batch))
	for i, row := range batch {
		idx[i] = s.EmailIndex(row.Email)
	}
	existing, suppressed, err := s.store.KnownAddresses(ctx, idx)
	if err != nil {
		return nil, err
	}
	kept, refused, err := s.refuseHeldElsewhere(ctx, batch, func(i int) bool { return !existing[idx[i]] && !suppressed[idx[i]] })
	res.Refused += len(refused)
	return kept, err
}
