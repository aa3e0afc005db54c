package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/audit"
)

// auditPages are the audit log's page and API (owners).
type auditPages struct {
	*pages
	audit *audit.Log
}

type auditData struct {
	Entries []audit.Entry
	Filter  map[string]string
	Older   bool // a full page: there may be older entries (the template links them)
}

const auditPageSize = 50

// auditFilter reads the viewer's filters from the query: actor, action, subject,
// from and to (YYYY-MM-DD, to inclusive) and before (a seq, for paging).
func auditFilter(r *http.Request) (audit.Filter, map[string]string) {
	q := r.URL.Query()
	f := audit.Filter{Actor: q.Get("actor"), Action: q.Get("action"), Subject: q.Get("subject"), Limit: auditPageSize}
	if t, err := time.Parse("2006-01-02", q.Get("from")); err == nil {
		f.From = t
	}
	if t, err := time.Parse("2006-01-02", q.Get("to")); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	f.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	shown := map[string]string{"actor": f.Actor, "action": f.Action, "subject": f.Subject, "from": q.Get("from"), "to": q.Get("to")}
	return f, shown
}

// auditPage is the owner's audit log viewer, newest first, with filters and paging.
func (s *auditPages) auditPage(w http.ResponseWriter, r *http.Request) {
	f, shown := auditFilter(r)
	entries, err := s.audit.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := auditData{Entries: entries, Filter: shown}
	data.Older = len(entries) == auditPageSize
	s.render(w, r, http.StatusOK, "audit", page{Title: "Audit log", Nav: "audit", Data: data})
}

// apiAudit is the audit log as JSON, with the same filters.
func (s *auditPages) apiAudit(w http.ResponseWriter, r *http.Request) {
	f, _ := auditFilter(r)
	entries, err := s.audit.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
