package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/candor-dev/candor/internal/mail"
)

// outboxPages are the staff view of the mail outbox.
type outboxPages struct {
	*pages
	outbox *mail.OutboxAdmin
}

// The staff view of the mail outbox (permission mail.outbox, checked again by the
// domain). Lists never show recipients; opening a transactional message shows its
// recipient and content and is audited first. Without a relay (no --smtp) nothing is
// sent and the pages say so.

type outboxTab struct {
	Label, URL string
	Count      int
	Current    bool
	Status     mail.Status
}

type outboxData struct {
	Messages []mail.OutboxMessage
	Tabs     []outboxTab
	Status   mail.Status
	Kind     string
	NoRelay  bool
	Older    string // URL of the next page, "" at the end
	Newest   string // URL of the first page when paging
}

var outboxStatuses = []mail.Status{mail.StatusQueued, mail.StatusSending, mail.StatusSent, mail.StatusFailed, mail.StatusDead, mail.StatusCancelled}

func outboxURL(status mail.Status, kind string, before int64) string {
	v := url.Values{}
	if status != "" {
		v.Set("status", string(status))
	}
	if kind != "" {
		v.Set("kind", kind)
	}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	if len(v) == 0 {
		return "/admin/outbox"
	}
	return "/admin/outbox?" + v.Encode()
}

// outboxList lists messages newest first, filtered by status and kind.
func (s *outboxPages) outboxList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := mail.OutboxFilter{Status: mail.Status(q.Get("status")), Kind: q.Get("kind"), Limit: mail.OutboxPageSize}
	f.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	msgs, err := s.outbox.List(r.Context(), principal(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.outbox.Counts(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Kind != "transactional" && f.Kind != "campaign" {
		f.Kind = ""
	}
	if !slices.Contains(outboxStatuses, f.Status) {
		f.Status = ""
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	d := outboxData{Messages: msgs, Status: f.Status, Kind: f.Kind, NoRelay: s.cfg.SMTP == nil}
	d.Tabs = append(d.Tabs, outboxTab{Label: "All", URL: outboxURL("", f.Kind, 0), Count: total, Current: f.Status == ""})
	for _, st := range outboxStatuses {
		d.Tabs = append(d.Tabs, outboxTab{Label: outboxStatusLabel(st), URL: outboxURL(st, f.Kind, 0), Count: counts[st],
			Current: f.Status == st, Status: st})
	}
	if len(msgs) == f.Limit {
		d.Older = outboxURL(f.Status, f.Kind, msgs[len(msgs)-1].ID)
	}
	if f.BeforeID > 0 {
		d.Newest = outboxURL(f.Status, f.Kind, 0)
	}
	s.render(w, r, http.StatusOK, "outbox", page{Title: "Outbox", Nav: "outbox", Flash: sideFlash(r), Data: d})
}

func outboxStatusLabel(st mail.Status) string {
	switch st {
	case mail.StatusQueued:
		return "Queued"
	case mail.StatusSending:
		return "Sending"
	case mail.StatusSent:
		return "Sent"
	case mail.StatusFailed:
		return "Failed"
	case mail.StatusDead:
		return "Dead letters"
	case mail.StatusCancelled:
		return "Cancelled"
	}
	return string(st)
}

type outboxDetailData struct {
	Message mail.Opened
	NoRelay bool
}

// outboxDetail shows one message; for transactional mail its recipient and content
// (audited by the domain before it returns them).
func (s *outboxPages) outboxDetail(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathIDOr404(w, r, "message in the outbox")
	if !ok {
		return
	}
	m, err := s.outbox.Open(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "outbox_detail", page{Title: "Message " + strconv.FormatInt(id, 10), Nav: "outbox",
		Logged: !m.To.IsZero(), Flash: sideFlash(r), Data: outboxDetailData{Message: m, NoRelay: s.cfg.SMTP == nil}})
}

// outboxRequeue puts a dead letter back in the queue.
func (s *outboxPages) outboxRequeue(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathIDOr404(w, r, "message in the outbox")
	if !ok {
		return
	}
	if err := s.outbox.Requeue(r.Context(), principal(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	redirectFlash(w, r, "/admin/outbox/"+strconv.FormatInt(id, 10), "outbox-requeued")
}
