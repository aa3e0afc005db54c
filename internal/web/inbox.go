package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// inboxPages are the contact inbox: folders, conversations, replies, notes, bulk actions
// and exports.
type inboxPages struct {
	*pages
	contact *contact.Service
	staff   *staff.Service // the colleagues a conversation can be assigned to
}

// The staff inbox of the contact form (permission contact.read: owners, admins,
// support; checked again by the domain, which also audits every view and export).
// Everything works without JavaScript: folders are links, bulk actions are the
// buttons of one form around the table, exports are that form sent as a GET.

// inboxFolder is one folder of the inbox as the pages show it.
type inboxFolder struct {
	Folder contact.Folder
	Label  string
	Hint   string // what lands there, for the empty state and the tab's title
}

// inboxFolders is the tabs' order: the work first, then what needs a decision, then done.
var inboxFolders = []inboxFolder{
	{"new", "New", "Messages nobody has handled yet."},
	{"open", "Open", "Conversations someone is working on."},
	{"waiting", "Waiting", "Replied to; waiting for the customer."},
	{"review", "Needs review", "Sent without JavaScript, so the anti-bot check could not run: read before trusting."},
	{"spam", "Spam", "Filed by the content rules. Nothing is dropped: check now and then."},
	{"closed", "Closed", "Done. Kept for the retention period, then deleted."},
}

func folderOf(name string) (inboxFolder, bool) {
	for _, f := range inboxFolders {
		if string(f.Folder) == name {
			return f, true
		}
	}
	return inboxFolder{}, false
}

// inboxFlashes are the fixed notices of the inbox pages (?done=).
var inboxFlashes = map[string]string{
	"inbox-replied":  "Your reply is on its way. The conversation moved to Waiting.",
	"inbox-noted":    "Your note was added. Only staff can see it.",
	"inbox-moved":    "Moved.",
	"inbox-assigned": "The assignment was changed.",
	"inbox-none":     "Select at least one conversation first.",
}

const inboxPageSize = 25

const unassigned = contact.Unassigned // the "Unassigned" filter

// inboxFilter is the list's query string, kept as typed for the form and links. The
// search text travels in links only sealed (searchseal.go).
type inboxFilter struct {
	Folder string // a folder name; "new" by default
	Who    string // "all", "mine" or "unassigned"
	Q      string // the search text, shown in the form only
	Sealed string // Q's sealed search id, the ?s= of links
	Page   int
}

// newInboxFilter reads the filter from get (a query or a posted form) and the search.
func newInboxFilter(get func(string) string, sq search) inboxFilter {
	f := inboxFilter{Folder: get("folder"), Who: get("who"), Q: strings.TrimSpace(sq.Q), Sealed: sq.Sealed}
	if _, ok := folderOf(f.Folder); !ok {
		f.Folder = "new"
	}
	if f.Who != "mine" && f.Who != "unassigned" {
		f.Who = "all"
	}
	f.Page, _ = strconv.Atoi(get("page"))
	f.Page = min(max(f.Page, 1), 100_000)
	return f
}

// url is the list's address with some parameters changed ("key", "value", …; "q"
// names the search, whose sealed id is the only form it takes in a URL).
func (f inboxFilter) URL(change ...string) string {
	v := url.Values{}
	set := func(k, val string) {
		v.Del(k)
		if val != "" {
			v.Set(k, val)
		}
	}
	if f.Folder != "new" {
		set("folder", f.Folder)
	}
	if f.Who != "all" {
		set("who", f.Who)
	}
	set(searchParam, f.Sealed)
	if f.Page > 1 {
		set("page", strconv.Itoa(f.Page))
	}
	for i := 0; i+1 < len(change); i += 2 {
		if change[i] == "q" {
			set(searchParam, "") // only clearing: a new search is posted, never linked
			continue
		}
		set(change[i], change[i+1])
	}
	if v.Get("folder") == "new" {
		v.Del("folder")
	}
	if v.Get("who") == "all" {
		v.Del("who")
	}
	if len(v) == 0 {
		return "/admin/inbox"
	}
	return "/admin/inbox?" + v.Encode()
}

// query turns the filter into the domain's query for the member me.
func (f inboxFilter) query(me int64) contact.Query {
	q := contact.Query{Folder: contact.Folder(f.Folder), Search: f.Q, Page: f.Page, PerPage: inboxPageSize}
	switch f.Who {
	case "mine":
		q.AssigneeID = me
	case "unassigned":
		q.AssigneeID = unassigned
	}
	return q
}

type inboxTab struct {
	inboxFolder
	URL     string
	Count   int
	Current bool
}

type inboxLink struct {
	Label, URL string
	Current    bool
}

// inboxRow is one conversation in the list.
type inboxRow struct {
	contact.Conversation
	URL      string
	Assignee string // "You", a colleague's display name, "Staff #3", or "" for nobody
	Age      string // "5 min", "3 h", "2 d"
}

type inboxData struct {
	Filter  inboxFilter
	Current inboxFolder
	Tabs    []inboxTab
	Who     []inboxLink
	Rows    []inboxRow
	Pager   pager
	Back    string // this page, where bulk actions return
	MoveTo  []inboxFolder
}

// inboxList is the inbox: folders as tabs with counts, an assignee filter, search,
// paging, and a table whose checkboxes feed the bulk actions.
func (s *inboxPages) inboxList(w http.ResponseWriter, r *http.Request) {
	sq := s.openSearch(r, time.Now())
	f := newInboxFilter(r.URL.Query().Get, sq)
	me := principal(r)
	list, total, err := s.contact.List(r.Context(), me, f.query(me.ID))
	if err != nil {
		s.inboxListError(w, r, f, err)
		return
	}
	counts, err := s.contact.Counts(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur, _ := folderOf(f.Folder)
	d := inboxData{Filter: f, Current: cur, Back: f.URL()}
	for _, fo := range inboxFolders {
		d.Tabs = append(d.Tabs, inboxTab{inboxFolder: fo, URL: f.URL("folder", string(fo.Folder), "page", ""),
			Count: counts[fo.Folder], Current: fo.Folder == cur.Folder})
		if fo.Folder != cur.Folder {
			d.MoveTo = append(d.MoveTo, fo)
		}
	}
	for _, who := range []struct{ key, label string }{{"all", "Everyone"}, {"mine", "Mine"}, {"unassigned", "Unassigned"}} {
		d.Who = append(d.Who, inboxLink{Label: who.label, URL: f.URL("who", who.key, "page", ""), Current: f.Who == who.key})
	}
	var names map[int64]string
	if len(list) > 0 {
		names, _ = s.colleagues(r)
	}
	now := time.Now()
	for _, c := range list {
		d.Rows = append(d.Rows, inboxRow{Conversation: c, URL: "/admin/inbox/" + strconv.FormatInt(c.ID, 10),
			Assignee: assigneeLabel(c.AssigneeID, me.ID, names), Age: age(now, c.UpdatedAt)})
	}
	d.Pager = pager{Total: total, Page: f.Page, Pages: max(1, (total+inboxPageSize-1)/inboxPageSize)}
	if len(list) > 0 {
		d.Pager.From = (f.Page-1)*inboxPageSize + 1
		d.Pager.To = d.Pager.From + len(list) - 1
	}
	if f.Page > 1 {
		d.Pager.Prev = f.URL("page", strconv.Itoa(min(f.Page-1, d.Pager.Pages)))
	}
	if f.Page*inboxPageSize < total {
		d.Pager.Next = f.URL("page", strconv.Itoa(f.Page+1))
	}
	p := page{Title: "Inbox", Nav: "inbox", Logged: true, Flash: inboxFlash(r), Data: d}
	if sq.Expired {
		p.Error, p.Field = expiredSearch, "q"
	}
	s.render(w, r, http.StatusOK, "inbox", p)
}

// inboxSearch is POST /admin/inbox/search: the search form's text, sealed into the
// list's link (no address in a URL), keeping the folder and assignee filter.
func (s *inboxPages) inboxSearch(w http.ResponseWriter, r *http.Request) {
	s.redirectSearch(w, r, func(form func(string) string, sealed string) string {
		f := newInboxFilter(form, search{Sealed: sealed})
		f.Page = 1
		return f.URL()
	})
}

// inboxListError shows a bad search as a form error on the list; anything else fails.
func (s *inboxPages) inboxListError(w http.ResponseWriter, r *http.Request, f inboxFilter, err error) {
	st := status(err)
	if st != http.StatusBadRequest {
		s.fail(w, r, err)
		return
	}
	cur, _ := folderOf(f.Folder)
	d := inboxData{Filter: f, Current: cur, Back: f.URL()}
	for _, fo := range inboxFolders {
		d.Tabs = append(d.Tabs, inboxTab{inboxFolder: fo, URL: f.URL("folder", string(fo.Folder), "page", "", "q", ""), Current: fo.Folder == cur.Folder})
	}
	s.render(w, r, st, "inbox", page{Title: "Inbox", Nav: "inbox", Error: errs.PublicOf(err), Field: "q", Data: d})
}

func inboxFlash(r *http.Request) string {
	if f := inboxFlashes[r.URL.Query().Get("done")]; f != "" {
		return f
	}
	return flash(r)
}

// assigneeLabel names a conversation's assignee or a message's author: "You", the
// colleague's display name (names, from colleagues), else "Staff #N". Never an email.
func assigneeLabel(id, me int64, names map[int64]string) string {
	switch {
	case id == 0:
		return ""
	case id == me:
		return "You"
	case names[id] != "":
		return names[id]
	}
	return staff.NumberLabel(id)
}

// age is a short, calm "how long ago".
func age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return ""
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + " d"
	}
	return t.UTC().Format("2 Jan 2006")
}

// inboxBack is where a bulk action returns: a page of the inbox list, never elsewhere.
func inboxBack(s string) string {
	if s == "/admin/inbox" || strings.HasPrefix(s, "/admin/inbox?") && !strings.ContainsAny(s, "\\\r\n") {
		return s
	}
	return "/admin/inbox"
}

// redirectDone redirects to an admin URL (which may carry a query) with a notice key.
func redirectDone(w http.ResponseWriter, r *http.Request, to, key, fragment string) {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	to += sep + "done=" + key
	if fragment != "" {
		to += "#" + fragment
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// formIDs reads the selected conversation ids (checkboxes named ids, or "1,2,3").
func formIDs(values []string) []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
			if err == nil && id > 0 && !seen[id] && len(ids) < 1000 {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// inboxBulk applies one bulk action to the selected conversations.
func (s *inboxPages) inboxBulk(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	back := inboxBack(r.PostFormValue("back"))
	ids := formIDs(r.PostForm["ids"])
	if len(ids) == 0 {
		redirectDone(w, r, back, "inbox-none", "")
		return
	}
	me := principal(r)
	var err error
	done := "inbox-moved"
	switch action := r.PostFormValue("action"); action {
	case "move":
		to, ok := folderOf(r.PostFormValue("folder"))
		if !ok {
			s.fail(w, r, errs.E(errs.Invalid, "Choose a folder to move the conversations to."))
			return
		}
		err = s.contact.Move(r.Context(), me, ids, to.Folder)
	case "assign-me", "unassign":
		done = "inbox-assigned"
		to := me.ID
		if action == "unassign" {
			to = 0
		}
		err = s.contact.Assign(r.Context(), me, ids, to)
	default:
		if to, ok := strings.CutPrefix(action, "move-"); ok { // one-click buttons ("move-spam")
			f, ok := folderOf(to)
			if !ok {
				s.fail(w, r, errs.E(errs.Invalid, "There is no such folder."))
				return
			}
			err = s.contact.Move(r.Context(), me, ids, f.Folder)
			break
		}
		s.fail(w, r, errs.E(errs.Invalid, "Choose an action."))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirectDone(w, r, back, done, "")
}
