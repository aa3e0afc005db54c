package shop

import (
	"context"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// OrderQuery selects orders for the staff list; zero fields select everything.
type OrderQuery struct {
	Status  Status
	Search  string // an exact email address (by blind index) or an order reference
	Page    int    // 1-based
	PerPage int    // default 50, at most 200
}

// StaffOrder is an order as staff see it: the buyer's name and email opened.
type StaffOrder struct {
	Order
	Name  string
	Email pii.Email
	// RetainedOnly: the buyer asked for erasure; the order is kept only for the legal
	// retention (or its buyer is already erased) and serves no other use.
	RetainedOnly bool
	Licences     []Licence // Get only
	Refunds      []Refund  // Get only
}

// ListOrders returns a page of orders and the number that match. Audited with the ids
// shown, since the list shows names and addresses.
func (s *Service) ListOrders(ctx context.Context, actor staff.Principal, q OrderQuery) ([]StaffOrder, int, error) {
	if err := actor.Require(staff.ManageShop); err != nil {
		return nil, 0, err
	}
	q.PerPage = min(max(q.PerPage, 1), 200)
	if q.PerPage == 1 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	f := OrderFilter{Status: q.Status, Limit: q.PerPage, Offset: (q.Page - 1) * q.PerPage}
	if search := strings.TrimSpace(q.Search); search != "" {
		if strings.HasPrefix(search, "ord_") {
			f.Ref = search
		} else if addr, err := pii.NewEmail(search); err == nil {
			f.EmailIndex = s.sealer.Index(indexEmail, addr.Reveal())
		} else {
			return nil, 0, errs.InvalidField("search", "Search by an exact email address or an order reference (ord_…).")
		}
	}
	orders, total, err := s.store.Orders(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = itoa(o.ID)
	}
	if err := s.audit.Record(ctx, actor.Name, "shop.orders.list", "", "ids", strings.Join(ids, ",")); err != nil {
		return nil, 0, err
	}
	out := make([]StaffOrder, len(orders))
	for i, o := range orders {
		if out[i], err = s.open(o); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// GetOrder returns one order with its licences and refunds; audited.
func (s *Service) GetOrder(ctx context.Context, actor staff.Principal, id int64) (StaffOrder, error) {
	if err := actor.Require(staff.ManageShop); err != nil {
		return StaffOrder{}, err
	}
	o, err := s.store.Order(ctx, OrderKey{ID: id})
	if err != nil {
		return StaffOrder{}, err
	}
	if err := s.audit.Record(ctx, actor.Name, "shop.order.view", "order:"+itoa(id)); err != nil {
		return StaffOrder{}, err
	}
	so, err := s.open(o)
	if err != nil {
		return so, err
	}
	if so.Licences, err = s.store.Licences(ctx, id); err != nil {
		return so, err
	}
	so.Refunds, err = s.store.Refunds(ctx, id)
	return so, err
}

func (s *Service) open(o Order) (StaffOrder, error) {
	so := StaffOrder{Order: o, RetainedOnly: s.retainedOnly(o)}
	if o.EmailSealed == "" { // the buyer was erased (order retention, or privacy.EraseBuyerIdentity): the books stay
		so.Name = "(erased)"
		return so, nil
	}
	addr, err := s.sealer.OpenString(SealEmail, o.EmailSealed)
	if err != nil {
		return so, err
	}
	if so.Email, err = pii.NewEmail(addr); err != nil {
		return so, err
	}
	so.Name, err = s.sealer.OpenString(SealName, o.NameSealed)
	return so, err
}

// ResendReceipt queues the receipt of a fulfilled order again; audited.
func (s *Service) ResendReceipt(ctx context.Context, actor staff.Principal, id int64) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	o, err := s.store.Order(ctx, OrderKey{ID: id})
	if err != nil {
		return err
	}
	if o.InvoiceNo == 0 {
		return errs.E(errs.Conflict, "This order has not been paid, so it has no receipt.")
	}
	if s.retainedOnly(o) {
		return errs.E(errs.Conflict, "The buyer asked for their data to be erased: this order is kept only for legal retention, and no receipt is sent for it.")
	}
	ls, err := s.store.Licences(ctx, id)
	if err != nil {
		return err
	}
	var downloads []Download
	if p, err := s.productBySlug(ctx, o.ProductSlug); err == nil && o.Status == Fulfilled {
		downloads = p.Downloads
	}
	var valid []Licence
	for _, l := range ls {
		if l.RevokedAt.IsZero() {
			valid = append(valid, l)
		}
	}
	q, err := s.receipt(o, valid, downloads, "shop.receipt")
	if err != nil {
		return err
	}
	if err := s.store.Queue(ctx, q); err != nil {
		return err
	}
	s.wake()
	return s.audit.Record(ctx, actor.Name, "shop.receipt.resend", "order:"+itoa(id))
}

// RevokeLicence revokes one licence of an order: the order page stops showing its key
// and the public revocation list (RevokedLicences) names it; audited.
func (s *Service) RevokeLicence(ctx context.Context, actor staff.Principal, orderID int64, licenceID string) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	err := s.store.Update(ctx, OrderKey{ID: orderID}, "", "", func(o *Order, tx OrderTx) error {
		n, err := tx.RevokeLicences(ctx, o.ID, licenceID, s.now().UTC())
		if err == nil && n == 0 {
			err = errs.E(errs.NotFound, "No such licence on this order, or it is already revoked.")
		}
		return err
	})
	if err != nil {
		return err
	}
	return s.audit.Record(ctx, actor.Name, "shop.licence.revoke", "order:"+itoa(orderID), "licence", licenceID)
}

// SalesReport returns the aggregate sales between two days (inclusive, UTC), per day,
// product and currency: counts and sums only, no personal data.
func (s *Service) SalesReport(ctx context.Context, actor staff.Principal, from, to time.Time) ([]SalesRow, error) {
	if err := actor.Require(staff.ManageShop); err != nil {
		return nil, err
	}
	if to.Before(from) || to.Sub(from) > 366*24*time.Hour {
		return nil, errs.InvalidField("to", "Choose a range of at most a year, ending after it starts.")
	}
	return s.store.SalesReport(ctx, from.UTC(), to.UTC().Add(24*time.Hour))
}

// RevokedLicences lists the ids of revoked licences, for the public revocation list
// the vendor's software may fetch (licence ids are not personal data).
func (s *Service) RevokedLicences(ctx context.Context) ([]string, error) {
	return s.store.RevokedLicences(ctx)
}

// Funnel is the shop's part of the statistics funnel: how many checkouts were started
// and how many were paid in a range. Counts only; no order or buyer is named.
type Funnel struct {
	Started int // orders created (the checkout form was sent)
	Paid    int // orders paid (refunded and disputed ones included: they were paid)
}

// Funnel counts the checkouts started and paid between two days (inclusive, UTC), for
// the statistics dashboard: aggregate figures, so the stats permission suffices.
func (s *Service) Funnel(ctx context.Context, actor staff.Principal, from, to time.Time) (Funnel, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return Funnel{}, err
	}
	return s.store.Funnel(ctx, from.UTC(), to.UTC().Add(24*time.Hour))
}
