package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// Orders: the list (status filter, exact search by email or reference, paging) and one
// order's page. Both show buyers' names and addresses, so both are audited by the
// domain (page.Logged says so). Card data shown: brand, last 4 and expiry, all the
// shop ever has.

const shopOrdersPerPage = 50

// orderStatuses are the list's status filters, in the order of an order's life.
var orderStatuses = []shop.Status{shop.Pending, shop.Paid, shop.Fulfilled, shop.Failed, shop.Refunded, shop.Disputed}

// orderFilter is the list's query string, kept as typed. The search (an email
// address or an order reference) travels in links only sealed (searchseal.go).
type orderFilter struct {
	Status string
	Q      string // the search text, shown in the form only
	Sealed string // Q's sealed search id, the ?s= of links
	Page   int
}

// newOrderFilter reads the filter from get (a query or a posted form) and the search.
func newOrderFilter(get func(string) string, sq search) orderFilter {
	f := orderFilter{Status: get("status"), Q: strings.TrimSpace(sq.Q), Sealed: sq.Sealed}
	if !knownStatus(f.Status) {
		f.Status = ""
	}
	f.Page, _ = strconv.Atoi(get("page"))
	f.Page = min(max(f.Page, 1), 100_000)
	return f
}

func knownStatus(s string) bool {
	for _, st := range orderStatuses {
		if string(st) == s {
			return true
		}
	}
	return false
}

// URL is the list's address with some parameters changed ("key", "value", …; "q"
// names the search: only clearing it, as a search is posted, never linked).
func (f orderFilter) URL(change ...string) string {
	kv := map[string]string{"status": f.Status, "q": f.Sealed, "page": ""}
	if f.Page > 1 {
		kv["page"] = strconv.Itoa(f.Page)
	}
	for i := 0; i+1 < len(change); i += 2 {
		if change[i] != "q" || change[i+1] == "" {
			kv[change[i]] = change[i+1]
		}
	}
	return shopURL("/admin/shop/orders", "status", kv["status"], searchParam, kv["q"], "page", kv["page"])
}

// shopOrderSearch is POST /admin/shop/orders/search: the search form's text (an email
// address or a reference), sealed into the list's link, keeping the status filter.
func (s *shopAdmin) shopOrderSearch(w http.ResponseWriter, r *http.Request) {
	s.redirectSearch(w, r, func(form func(string) string, sealed string) string {
		return newOrderFilter(form, search{Sealed: sealed}).URL("page", "")
	})
}

// orderRow is one order of the list.
type orderRow struct {
	shop.StaffOrder
	URL string
}

type shopOrdersData struct {
	Filter   orderFilter
	Statuses []inboxLink
	Rows     []orderRow
	Pager    pager
}

// shopOrders lists orders, newest first.
func (s *shopAdmin) shopOrders(w http.ResponseWriter, r *http.Request) {
	sq := s.openSearch(r, time.Now())
	f := newOrderFilter(r.URL.Query().Get, sq)
	d := shopOrdersData{Filter: f, Statuses: []inboxLink{{Label: "All", URL: f.URL("status", "", "page", ""), Current: f.Status == ""}}}
	for _, st := range orderStatuses {
		d.Statuses = append(d.Statuses, inboxLink{Label: statusLabel(st), URL: f.URL("status", string(st), "page", ""), Current: f.Status == string(st)})
	}
	p := page{Title: "Orders", Nav: "shop", Logged: true, Flash: shopFlash(r)}
	list, total, err := s.shop.ListOrders(r.Context(), principal(r), shop.OrderQuery{Status: shop.Status(f.Status), Search: f.Q, Page: f.Page, PerPage: shopOrdersPerPage})
	if err != nil {
		if status(err) != http.StatusBadRequest {
			s.fail(w, r, err)
			return
		}
		p.Error, p.Field = errs.PublicOf(err), "q"
	}
	if sq.Expired {
		p.Error, p.Field = expiredSearch, "q"
	}
	for _, o := range list {
		d.Rows = append(d.Rows, orderRow{StaffOrder: o, URL: orderURL(o.ID)})
	}
	d.Pager = pageLinks(total, f.Page, len(list), shopOrdersPerPage, func(n int) string { return f.URL("page", strconv.Itoa(n)) })
	p.Data = d
	st := http.StatusOK
	if p.Error != "" {
		st = http.StatusBadRequest
	}
	s.render(w, r, st, "shop_admin_orders", p)
}

// statusLabel is how the pages name a status.
func statusLabel(st shop.Status) string {
	if st == "" {
		return ""
	}
	return strings.ToUpper(string(st[:1])) + string(st[1:])
}

// orderData is one order's page.
type orderData struct {
	shop.StaffOrder
	Lines        []shop.InvoiceLine
	Invoice      string // "INV-000042", "" until paid
	StatusLabel  string
	Refundable   bool
	RefundAmount string // the refund form's amount: what was typed, else the whole remainder
	AmountError  string
	CanResend    bool
}

// shopOrder shows one order; the view is audited by the domain before anything is read.
func (s *shopAdmin) shopOrder(w http.ResponseWriter, r *http.Request) {
	s.renderOrder(w, r, http.StatusOK, page{Flash: shopFlash(r)}, "")
}

// renderOrder renders the order page; p may carry a refusal, typed the refund amount
// as it was typed.
func (s *shopAdmin) renderOrder(w http.ResponseWriter, r *http.Request, st int, p page, typed string) {
	id, ok := s.pathIDOr404(w, r, "order")
	if !ok {
		return
	}
	o, err := s.shop.GetOrder(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := orderData{StaffOrder: o, Lines: shop.InvoiceLines(o.Order), StatusLabel: statusLabel(o.Status),
		Refundable:   (o.Status == shop.Paid || o.Status == shop.Fulfilled) && o.Refundable() > 0,
		RefundAmount: decimal(o.Refundable(), o.Currency), CanResend: o.InvoiceNo > 0}
	if o.InvoiceNo > 0 {
		d.Invoice = shop.InvoiceNumber(o.InvoiceNo)
	}
	if p.Field == "amount" || p.Field == "confirm" {
		d.AmountError, p.Error = p.Error, ""
		d.RefundAmount = typed
	}
	p.Title, p.Nav, p.Logged, p.Data = "Order "+o.Ref, "shop", true, d
	s.render(w, r, st, "shop_admin_order", p)
}
