package web

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/privacy"
)

// dataRequestPages are the admin's "Data requests" (permission privacy.requests,
// checked again by privacy.Service): find one address across every domain, the same
// view as /my-data, export, erase, and the list of recorded requests with their
// deadlines. The address travels only in POST bodies, never in a URL.
type dataRequestPages struct {
	*pages
	privacy *privacy.Service
}

// subjectView feeds templates/_subject.html: one person's data and the export and
// erase forms, which carry the link's token (self-service) or the address (staff).
type subjectView struct {
	Subject        privacy.Subject
	Action         string // "/my-data/view" or "/admin/data-requests"
	Field, Value   string // the hidden field identifying the person to the actions
	Confirm        bool   // the erase confirmation step
	Erased         *privacy.ErasureResult
	OrderRetention string // --order-retention, in words
	Staff          bool
}

// retentionText says a retention period in words: "10 years", "90 days".
func retentionText(d time.Duration) string {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	switch {
	case d >= year && d%year < 10*day: // 87600h is 10 × 365 days
		return plural(int(d/year), "year")
	default:
		return plural(int(d/day), "day")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// requestRow is one recorded request with its deadline clock.
type requestRow struct {
	privacy.Request
	DaysLeft int  // whole days until the deadline (negative: overdue)
	Overdue  bool // open after the deadline, or answered after it
}

// dataRequestsPage is GET /admin/data-requests: the find form and the recorded requests.
func (s *dataRequestPages) dataRequestsPage(w http.ResponseWriter, r *http.Request) {
	s.renderList(w, r, http.StatusOK, page{})
}

func (s *dataRequestPages) renderList(w http.ResponseWriter, r *http.Request, st int, p page) {
	reqs, err := s.privacy.Requests(r.Context(), principal(r), false, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	rows := make([]requestRow, len(reqs))
	for i, q := range reqs {
		rows[i] = requestRow{Request: q, DaysLeft: int(q.DeadlineAt.Sub(now).Hours() / 24)}
		if q.DoneAt.IsZero() {
			rows[i].Overdue = now.After(q.DeadlineAt)
		} else {
			rows[i].Overdue = q.DoneAt.After(q.DeadlineAt)
		}
	}
	p.Title, p.Nav, p.Data = "Data requests", "data-requests", rows
	s.render(w, r, st, "data_requests", p)
}

// dataRequestFind is POST /admin/data-requests/find: the view of one address.
func (s *dataRequestPages) dataRequestFind(w http.ResponseWriter, r *http.Request) {
	email := r.PostFormValue("email")
	sub, err := s.privacy.Find(r.Context(), principal(r), email)
	if err != nil {
		s.failForm(w, r, err, email)
		return
	}
	s.renderSubject(w, r, subjectView{Subject: sub}, email)
}

func (s *dataRequestPages) renderSubject(w http.ResponseWriter, r *http.Request, v subjectView, email string) {
	privatePage(w)
	v.Action, v.Field, v.Value, v.Staff = "/admin/data-requests", "email", email, true
	v.OrderRetention = retentionText(s.cfg.OrderRetention)
	s.render(w, r, http.StatusOK, "data_request", page{Title: "Data request", Nav: "data-requests", Logged: true, Data: v})
}

// failForm shows a refused address on the list page; other errors as usual.
func (s *dataRequestPages) failForm(w http.ResponseWriter, r *http.Request, err error, email string) {
	if st := status(err); st == http.StatusBadRequest {
		s.renderList(w, r, st, page{Error: errs.PublicOf(err), Field: "email", Form: map[string]string{"email": email}})
		return
	}
	s.fail(w, r, err)
}

// dataRequestExport is POST /admin/data-requests/export: the ZIP of one address.
func (s *dataRequestPages) dataRequestExport(w http.ResponseWriter, r *http.Request) {
	email := r.PostFormValue("email")
	var buf bytes.Buffer
	if _, err := s.privacy.ExportZIP(r.Context(), principal(r), email, &buf); err != nil {
		s.failForm(w, r, err, email)
		return
	}
	sendZIP(w, buf.Bytes())
}

// dataRequestErase is POST /admin/data-requests/erase: without confirm=yes the
// confirmation step, with it the erasure.
func (s *dataRequestPages) dataRequestErase(w http.ResponseWriter, r *http.Request) {
	email := r.PostFormValue("email")
	if r.PostFormValue("confirm") != "yes" {
		sub, err := s.privacy.Find(r.Context(), principal(r), email)
		if err != nil {
			s.failForm(w, r, err, email)
			return
		}
		s.renderSubject(w, r, subjectView{Subject: sub, Confirm: true}, email)
		return
	}
	res, err := s.privacy.EraseSubject(r.Context(), principal(r), email)
	if err != nil {
		s.failForm(w, r, err, email)
		return
	}
	s.renderSubject(w, r, subjectView{Erased: &res}, "")
}
