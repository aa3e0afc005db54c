package shop

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
)

// CustomerView is what a buyer sees on their order page: no card data beyond brand and
// last 4, and not even their own email (the link proves nothing about who holds it).
type CustomerView struct {
	Order     Order
	Lines     []InvoiceLine
	Licences  []Licence // valid ones
	Downloads []DownloadLink
}

// DownloadLink is a download with its fresh signed link.
type DownloadLink struct {
	Name string
	URL  string
}

// CustomerOrder opens an order page reached by a signed link (e, sig from the URL).
func (s *Service) CustomerOrder(ctx context.Context, ref, e, sig string) (CustomerView, error) {
	if err := s.checkLink("order", ref, "", e, sig); err != nil {
		return CustomerView{}, err
	}
	o, err := s.store.Order(ctx, OrderKey{Ref: ref})
	if err != nil {
		return CustomerView{}, err
	}
	v := CustomerView{Order: o, Lines: InvoiceLines(o)}
	if o.Status != Fulfilled {
		return v, nil
	}
	ls, err := s.store.Licences(ctx, o.ID)
	if err != nil {
		return v, err
	}
	v.Licences = slices.DeleteFunc(ls, func(l Licence) bool { return !l.RevokedAt.IsZero() })
	if p, err := s.productBySlug(ctx, o.ProductSlug); err == nil {
		for _, d := range p.Downloads {
			v.Downloads = append(v.Downloads, DownloadLink{Name: d.Name, URL: s.DownloadURL(o.Ref, d.ID)})
		}
	}
	return v, nil
}

// Download checks a signed download link and returns the download: a fulfilled order
// of that product, not refunded or disputed, within the link's lifetime.
func (s *Service) Download(ctx context.Context, ref, id, e, sig string) (Download, error) {
	if err := s.checkLink("download", ref, id, e, sig); err != nil {
		return Download{}, err
	}
	o, err := s.store.Order(ctx, OrderKey{Ref: ref})
	if err != nil {
		return Download{}, err
	}
	if o.Status != Fulfilled {
		return Download{}, errs.E(errs.Forbidden, "This order has no downloads.")
	}
	p, err := s.productBySlug(ctx, o.ProductSlug)
	if err != nil {
		return Download{}, err
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	i := slices.IndexFunc(p.Downloads, func(d Download) bool { return d.ID == n })
	if i < 0 {
		return Download{}, errs.E(errs.NotFound, "This download is no longer offered.")
	}
	return p.Downloads[i], nil
}

// FindOrders mails the owner of an email address fresh links to their paid orders.
// It answers the same whether or not the address bought anything (no enumeration);
// nothing is mailed when there is nothing to show.
func (s *Service) FindOrders(ctx context.Context, email string) error {
	addr, err := pii.NewEmail(email)
	if err != nil {
		return err
	}
	orders, _, err := s.store.Orders(ctx, OrderFilter{EmailIndex: s.sealer.Index(indexEmail, addr.Reveal()), Limit: 50})
	if err != nil {
		return err
	}
	orders = slices.DeleteFunc(orders, func(o Order) bool { return o.Status == Pending || o.Status == Failed })
	if len(orders) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("Here are the orders placed with this email address. Each link opens the order's page, with its licence keys and downloads.\n\n")
	for _, o := range orders {
		prefix := ""
		if o.TestMode() {
			prefix = "[TEST MODE] "
		}
		fmt.Fprintf(&b, "%s%s — %s %s, %s\n  %s\n\n", prefix, o.CreatedAt.Format("2 Jan 2006"), o.ProductName, o.EditionName,
			FormatMoney(o.Total, o.Currency), s.OrderURL(o.Ref))
	}
	b.WriteString("If you did not ask for this mail, you can ignore it: the links only show orders to whoever holds this mailbox.\n")
	q, err := mail.Compose(s.sealer, mail.Draft{Purpose: "shop.find-orders", To: addr,
		Content: mail.Content{Subject: "Your orders", Text: mail.WithPrivacyFooter(b.String(), s.opts.PublicURL)}}, s.opts.MailDomain, s.now())
	if err != nil {
		return err
	}
	if err := s.store.Queue(ctx, q); err != nil {
		return err
	}
	s.wake()
	return nil
}

// EmailKey is the blind index of an email address, for rate limits kept per address
// in memory; "" for an address that is not valid.
func (s *Service) EmailKey(email string) string {
	addr, err := pii.NewEmail(email)
	if err != nil {
		return ""
	}
	return s.sealer.Index(indexEmail, addr.Reveal())
}
