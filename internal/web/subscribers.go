package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
)

// subscriberPages are the subscriber list, detail, export and import, and the mailing
// lists.
type subscriberPages struct {
	*pages
	newsletter *newsletter.Service
}

// The staff pages of subscribers (permission subscribers.manage, checked again by the
// domain). Every page that shows an address is audited by the domain before it
// returns anything, and says so (page.Logged).

// staffSideFlashes are the fixed notices of the subscriber, campaign and outbox pages.
var staffSideFlashes = map[string]string{
	"subscriber-deleted":    "The subscriber was deleted.",
	"subscriber-suppressed": "The subscriber was deleted and their address suppressed: no sign-up or import can add it back.",
	"campaign-saved":        "The campaign was saved.",
	"campaign-scheduled":    "The campaign was scheduled.",
	"campaign-started":      "The campaign is sending.",
	"campaign-paused":       "The campaign is paused: no more messages go out until you resume it.",
	"campaign-resumed":      "The campaign is sending again.",
	"campaign-cancelled":    "The campaign was cancelled: its queued messages will not be sent.",
	"campaign-test":         "The test message was queued.",
	"outbox-requeued":       "The message is back in the queue, its attempts reset.",
}

// sideFlash is the notice named by ?done=, from the shared table or this side's.
func sideFlash(r *http.Request) string {
	if f := flash(r); f != "" {
		return f
	}
	return staffSideFlashes[r.URL.Query().Get("done")]
}

// subscriberFilter is the list's query string, kept as typed for the form and links.
// The search (an exact address) is never in a URL: it is posted, and the list shows it
// by its sealed search id (searchseal.go).
type subscriberFilter struct {
	Status, List, Sort, Dir string
	Q                       string // the search text, shown in the form only
	Sealed                  string // Q's sealed search id, the ?s= of the list's link
	Page                    int
}

func readSubscriberFilter(r *http.Request, sq search) (subscriberFilter, newsletter.SubscriberQuery) {
	v := r.URL.Query()
	f := subscriberFilter{Status: v.Get("status"), List: v.Get("list"), Sort: v.Get("sort"), Dir: v.Get("dir"), Q: sq.Q, Sealed: sq.Sealed}
	f.Page, _ = strconv.Atoi(v.Get("page"))
	f.Page = max(f.Page, 1)
	list, _ := strconv.ParseInt(f.List, 10, 64)
	q := newsletter.SubscriberQuery{Status: newsletter.Status(f.Status), ListID: list, Sort: newsletter.SubscriberSort(f.Sort),
		Asc: f.Dir == "asc", Limit: newsletter.DefaultPageSize}
	q.Offset = min(f.Page-1, 1_000_000) * q.Limit
	q = q.Normalize()
	f.Status, f.Sort = string(q.Status), string(q.Sort)
	if q.ListID == 0 {
		f.List = ""
	}
	if q.Asc {
		f.Dir = "asc"
	} else {
		f.Dir = "desc"
	}
	return f, q
}

// url is the list's address with some parameters changed.
func (f subscriberFilter) url(path string, change ...string) string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("status", f.Status)
	set("list", f.List)
	set(searchParam, f.Sealed)
	if f.Sort != string(newsletter.SortCreated) || f.Dir != "desc" {
		set("sort", f.Sort)
		set("dir", f.Dir)
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	for i := 0; i+1 < len(change); i += 2 {
		v.Del(change[i])
		set(change[i], change[i+1])
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// sortColumn is a sortable column header.
type sortColumn struct {
	Label, URL string
	Sort       string // "ascending", "descending" or "" (aria-sort)
}

func (f subscriberFilter) column(key, label string) sortColumn {
	c := sortColumn{Label: label}
	dir := "desc"
	if f.Sort == key {
		if f.Dir == "desc" {
			c.Sort, dir = "descending", "asc"
		} else {
			c.Sort = "ascending"
		}
	}
	c.URL = f.url("/admin/subscribers", "sort", key, "dir", dir, "page", "")
	return c
}

// pager is the paging bar under a list.
type pager struct {
	From, To, Total int
	Page, Pages     int
	Prev, Next      string // URLs, "" at the ends
}

type subscribersData struct {
	Subscribers []newsletter.Subscriber
	Lists       []newsletter.List
	Filter      subscriberFilter
	Searching   bool
	Columns     map[string]sortColumn
	Pager       pager
	ExportURL   string
	Filtered    bool
}

// subscriberList is the list: filters, sorting, paging, and exact search by address.
func (s *subscriberPages) subscriberList(w http.ResponseWriter, r *http.Request) {
	sq := s.openSearch(r, time.Now())
	f, q := readSubscriberFilter(r, sq)
	lists, err := s.newsletter.Lists(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := subscribersData{Lists: lists, Filter: f, Searching: f.Q != "",
		ExportURL: f.url("/admin/subscribers/export.csv", "page", "", "sort", "", "dir", "", searchParam, ""),
		Filtered:  f.Status != "" || f.List != "",
		Columns: map[string]sortColumn{
			"created":   f.column(string(newsletter.SortCreated), "Signed up"),
			"confirmed": f.column(string(newsletter.SortConfirmed), "Confirmed"),
			"status":    f.column(string(newsletter.SortStatus), "Status"),
		}}
	p := page{Title: "Subscribers", Nav: "subscribers", Logged: true, Flash: sideFlash(r)}
	if sq.Expired {
		p.Error, p.Field = expiredSearch, "q"
	}
	if data.Searching {
		subs, err := s.newsletter.FindSubscriber(r.Context(), principal(r), f.Q)
		if err != nil {
			if st := status(err); st == http.StatusBadRequest {
				p.Error, p.Field = errs.PublicOf(err), "q"
				p.Data = data
				s.render(w, r, st, "subscribers", p)
				return
			}
			s.fail(w, r, err)
			return
		}
		data.Subscribers = subs
		data.Pager = pager{From: min(1, len(subs)), To: len(subs), Total: len(subs), Page: 1, Pages: 1}
	} else {
		pg, err := s.newsletter.ListSubscribers(r.Context(), principal(r), q)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data.Subscribers = pg.Subscribers
		data.Pager = newPager(f, pg.Total, q.Offset, len(pg.Subscribers), q.Limit)
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "subscribers", p)
}

// subscriberSearch is POST /admin/subscribers/search: the address typed, sealed into
// the list's link, so that no address is in a URL a proxy or a history keeps.
func (s *subscriberPages) subscriberSearch(w http.ResponseWriter, r *http.Request) {
	s.redirectSearch(w, r, func(_ func(string) string, sealed string) string {
		return subscriberFilter{Sort: string(newsletter.SortCreated), Dir: "desc", Sealed: sealed}.url("/admin/subscribers")
	})
}

func newPager(f subscriberFilter, total, offset, shown, size int) pager {
	pg := pager{Total: total, Page: f.Page, Pages: max(1, (total+size-1)/size)}
	if shown > 0 {
		pg.From, pg.To = offset+1, offset+shown
	}
	if f.Page > 1 {
		pg.Prev = f.url("/admin/subscribers", "page", strconv.Itoa(min(f.Page-1, pg.Pages)))
	}
	if offset+shown < total {
		pg.Next = f.url("/admin/subscribers", "page", strconv.Itoa(f.Page+1))
	}
	return pg
}

type subscriberDetailData struct {
	Subscriber newsletter.SubscriberDetail
}

// subscriberDetail shows one subscriber: address, name, consent record, lists, history.
func (s *subscriberPages) subscriberDetail(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathIDOr404(w, r, "subscriber")
	if !ok {
		return
	}
	d, err := s.newsletter.GetSubscriber(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "subscribers_detail", page{Title: "Subscriber", Nav: "subscribers", Logged: true,
		Flash: sideFlash(r), Data: subscriberDetailData{Subscriber: d}})
}

// subscriberDelete deletes a subscriber for good, optionally suppressing the address.
func (s *subscriberPages) subscriberDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "subscriber")
	if !ok {
		return
	}
	suppress := r.PostFormValue("suppress") == "1"
	if err := s.newsletter.DeleteSubscriber(r.Context(), principal(r), id, suppress); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "subscriber-deleted"
	if suppress {
		done = "subscriber-suppressed"
	}
	redirectFlash(w, r, "/admin/subscribers", done)
}

// csvDownload sets the download headers at the first byte written, so an error found
// before any row (a failed audit write) still shows as an error page.
type csvDownload struct {
	w        http.ResponseWriter
	filename string
	started  bool
}

func (d *csvDownload) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+d.filename+`"`)
		h.Set("Cache-Control", "no-store")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}

// subscriberExport downloads the subscribers matching the list's filters as CSV, with
// formula-injection-safe cells; audited by the domain before the first byte.
func (s *subscriberPages) subscriberExport(w http.ResponseWriter, r *http.Request) {
	_, q := readSubscriberFilter(r, search{})
	d := &csvDownload{w: w, filename: "subscribers-" + time.Now().UTC().Format("2006-01-02") + ".csv"}
	if _, err := s.newsletter.ExportSubscribers(r.Context(), principal(r), q, d); err != nil {
		if !d.started {
			s.fail(w, r, err)
			return
		}
		// Rows were already sent: the download ends short, and the log says why.
		s.log.Error("export failed midway", "request_id", RequestID(r.Context()), "error", err)
		panic(http.ErrAbortHandler)
	}
}
