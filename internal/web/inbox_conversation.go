package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// One conversation of the inbox: the thread, and what staff can do with it. Opening
// it is audited by the domain before anything is returned (page.Logged).

// inboxMessage is one message of the thread as the page shows it.
type inboxMessage struct {
	contact.Message
	Author string // who wrote a reply or note ("You", a colleague); the sender for "in"
	When   string // absolute time
	Age    string
	Last   bool
}

// inboxAssignee is one choice of the assign control.
type inboxAssignee struct {
	ID       int64
	Label    string
	Selected bool
}

type inboxConversationData struct {
	Conversation contact.Conversation
	Folder       inboxFolder
	Messages     []inboxMessage
	Assignee     string
	Assignees    []inboxAssignee // members who may read the inbox, by display name; empty if they could not be listed
	MoveTo       []inboxFolder
	Suspect      bool   // in spam or review: show the score and signals
	From         string // the address replies are sent from
	ReplyTo      string // where the customer's answers go, when not From
	NoRelay      bool
	Back         string // the folder's list
	Reply, Note  string // what was typed, kept after a rejected post
	FieldError   string // why it was rejected, shown under its box
}

// colleagues returns the labels of the members (their display names, or "Staff #N";
// never an email, whoever views) and the list in id order (Assignable marks the ones
// who may be given a conversation), for
// any viewer who may read the inbox: support assigns to support as owners do. The
// domain decides and documents why this look is not audited (staff.Service.Colleagues).
// On failure the page still shows, with numbers for names and no assign choice.
func (s *inboxPages) colleagues(r *http.Request) (map[int64]string, []staff.Colleague) {
	list, err := s.staff.Colleagues(r.Context(), principal(r))
	if err != nil {
		s.log.Warn("inbox: listing colleagues", "request_id", RequestID(r.Context()), "error", err)
		return nil, nil
	}
	names := make(map[int64]string, len(list))
	for _, c := range list {
		names[c.ID] = c.Name
	}
	return names, list
}

// inboxFrom is the address replies are sent from.
func (s *inboxPages) inboxFrom() string {
	if s.cfg.MailFrom != nil {
		return s.cfg.MailFrom.Address
	}
	return ""
}

// inboxConversation shows one conversation.
func (s *inboxPages) inboxConversation(w http.ResponseWriter, r *http.Request) {
	s.renderConversation(w, r, http.StatusOK, page{Flash: inboxFlash(r)})
}

// renderConversation renders the conversation page; p carries an error and what
// was typed when a reply or note was refused, so nothing typed is lost.
func (s *inboxPages) renderConversation(w http.ResponseWriter, r *http.Request, st int, p page) {
	id, ok := s.pathIDOr404(w, r, "conversation")
	if !ok {
		return
	}
	me := principal(r)
	c, err := s.contact.Get(r.Context(), me, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, readers := s.colleagues(r)
	fo, ok := folderOf(string(c.Folder))
	if !ok {
		fo = inboxFolder{Folder: c.Folder, Label: string(c.Folder)}
	}
	d := inboxConversationData{Conversation: c, Folder: fo, Assignee: assigneeLabel(c.AssigneeID, me.ID, names),
		Suspect: c.Folder == "spam" || c.Folder == "review", From: s.inboxFrom(), ReplyTo: s.contact.Options().ReplyTo, NoRelay: s.cfg.SMTP == nil,
		Back: inboxFilter{Folder: string(fo.Folder), Who: "all"}.URL(), Reply: p.Form["reply"], Note: p.Form["note"]}
	for _, f := range inboxFolders {
		if f.Folder != c.Folder {
			d.MoveTo = append(d.MoveTo, f)
		}
	}
	for _, m := range readers {
		if !m.Assignable {
			continue
		}
		label := m.Name
		if m.ID == me.ID {
			label += " (you)"
		}
		d.Assignees = append(d.Assignees, inboxAssignee{ID: m.ID, Label: label, Selected: m.ID == c.AssigneeID})
	}
	now := time.Now()
	for i, m := range c.Messages {
		im := inboxMessage{Message: m, When: m.CreatedAt.UTC().Format("Mon 2 Jan 2006, 15:04 UTC"), Age: age(now, m.CreatedAt),
			Last: i == len(c.Messages)-1}
		if m.Kind == "in" {
			im.Author = c.Name
		} else {
			im.Author = assigneeLabel(m.AuthorID, me.ID, names)
			if im.Author == "" {
				im.Author = "A former colleague"
			}
		}
		d.Messages = append(d.Messages, im)
	}
	title := c.Subject
	if strings.TrimSpace(title) == "" {
		title = "(no subject)"
	}
	if p.Field == "reply" || p.Field == "note" {
		d.FieldError, p.Error = p.Error, "" // shown under the box that holds the text
	}
	p.Title, p.Nav, p.Logged, p.Data = title, "inbox", true, d
	s.render(w, r, st, "inbox_conversation", p)
}

func conversationURL(id int64) string { return "/admin/inbox/" + strconv.FormatInt(id, 10) }

// inboxReply sends a reply by mail, threaded, from the configured address.
func (s *inboxPages) inboxReply(w http.ResponseWriter, r *http.Request) {
	s.inboxWrite(w, r, "reply", func(id int64, text string) error {
		return s.contact.Reply(r.Context(), principal(r), id, text)
	}, "inbox-replied")
}

// inboxNote adds an internal note, never sent.
func (s *inboxPages) inboxNote(w http.ResponseWriter, r *http.Request) {
	s.inboxWrite(w, r, "note", func(id int64, text string) error {
		return s.contact.AddNote(r.Context(), principal(r), id, text)
	}, "inbox-noted")
}

// inboxWrite handles the two text forms: a refusal shows the page again with the
// text still in its box.
func (s *inboxPages) inboxWrite(w http.ResponseWriter, r *http.Request, field string, do func(int64, string) error, done string) {
	id, ok := s.postedID(w, r, "conversation")
	if !ok {
		return
	}
	text := r.PostFormValue(field)
	if err := do(id, text); err != nil {
		if st := status(err); st == http.StatusBadRequest {
			s.renderConversation(w, r, st, page{Error: errs.PublicOf(err), Field: field, Form: map[string]string{field: text}})
			return
		}
		s.fail(w, r, err)
		return
	}
	redirectDone(w, r, conversationURL(id), done, "latest")
}

// inboxMove moves the conversation to another folder.
func (s *inboxPages) inboxMove(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "conversation")
	if !ok {
		return
	}
	to, ok := folderOf(r.PostFormValue("folder"))
	if !ok {
		s.fail(w, r, errs.E(errs.Invalid, "Choose a folder to move the conversation to."))
		return
	}
	if err := s.contact.Move(r.Context(), principal(r), []int64{id}, to.Folder); err != nil {
		s.fail(w, r, err)
		return
	}
	redirectDone(w, r, conversationURL(id), "inbox-moved", "")
}

// inboxAssign assigns the conversation: "me", "none", or a member's id.
func (s *inboxPages) inboxAssign(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "conversation")
	if !ok {
		return
	}
	var to int64
	switch v := r.PostFormValue("assignee"); v {
	case "me":
		to = principal(r).ID
	case "none":
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.fail(w, r, errs.E(errs.Invalid, "Choose whom to assign the conversation to."))
			return
		}
		to = n
	}
	if err := s.contact.Assign(r.Context(), principal(r), []int64{id}, to); err != nil {
		s.fail(w, r, err)
		return
	}
	redirectDone(w, r, conversationURL(id), "inbox-assigned", "")
}

// download sets a file download's headers at the first byte written, so an error
// found before any byte (a refused or failed audit write) still shows as an error page.
type download struct {
	w                     http.ResponseWriter
	contentType, filename string
	started               bool
}

func (d *download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", d.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+d.filename+`"`)
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}

// export writes conversations as CSV or JSON through the domain (audited there).
func (s *inboxPages) inboxExportIDs(w http.ResponseWriter, r *http.Request, ids []int64, format, name string) {
	ct := "text/csv; charset=utf-8"
	if format == "json" {
		ct = "application/json; charset=utf-8"
	} else {
		format = "csv"
	}
	d := &download{w: w, contentType: ct, filename: name + "-" + time.Now().UTC().Format("2006-01-02") + "." + format}
	if err := s.contact.Export(r.Context(), principal(r), ids, format, d); err != nil {
		if !d.started {
			s.fail(w, r, err)
			return
		}
		s.log.Error("inbox export failed midway", "request_id", RequestID(r.Context()), "error", err)
		panic(http.ErrAbortHandler)
	}
	if !d.started { // nothing written: still answer with an (empty) file
		d.Write(nil)
	}
}

// inboxExportOne downloads one conversation (export.csv or export.json).
func (s *inboxPages) inboxExportOne(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathIDOr404(w, r, "conversation")
		if !ok {
			return
		}
		s.inboxExportIDs(w, r, []int64{id}, format, "conversation-"+strconv.FormatInt(id, 10))
	}
}

// inboxExport downloads the selected conversations (?ids=1&ids=2 or ids=1,2; format=csv|json).
func (s *inboxPages) inboxExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := formIDs(q["ids"])
	if len(ids) == 0 {
		redirectDone(w, r, inboxBack(q.Get("back")), "inbox-none", "")
		return
	}
	s.inboxExportIDs(w, r, ids, q.Get("format"), "conversations")
}
