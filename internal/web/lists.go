package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
)

// The staff page of mailing lists (permission subscribers.manage, checked again by the
// domain): every list with its confirmed subscribers and the checkbox to paste into the
// website's form; create, rename, delete. Lists hold no personal data: the page is not
// audited, the changes are (by the domain).

// listFlashes are the fixed notices of the lists page.
var listFlashes = map[string]string{
	"list-created": "The list was created. Paste its checkbox into your website's subscribe form.",
	"list-saved":   "The list was saved.",
	"list-deleted": "The list was deleted. Its subscribers stay on their other lists.",
}

// listRow is one list as the page shows it.
type listRow struct {
	newsletter.ListSummary
	Default        bool   // the default list: it cannot be deleted
	Snippet        string // the checkbox's HTML, to paste into the subscribe form
	SubscribersURL string // the confirmed subscribers of the list
}

type listsData struct {
	Lists   []listRow
	Editing int64 // the list whose edit form is shown again with an error
}

// listsPage shows the lists.
func (s *subscriberPages) listsPage(w http.ResponseWriter, r *http.Request) {
	p := page{Flash: listFlashes[r.URL.Query().Get("done")]}
	s.renderLists(w, r, http.StatusOK, p, 0)
}

// renderLists renders the page; editing names the row whose edit form p.Form and
// p.Field belong to (0: the create form).
func (s *subscriberPages) renderLists(w http.ResponseWriter, r *http.Request, st int, p page, editing int64) {
	sums, err := s.newsletter.ListSummaries(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]listRow, len(sums))
	for i, l := range sums {
		rows[i] = listRow{ListSummary: l, Default: l.Slug == newsletter.DefaultList, Snippet: l.CheckboxHTML(),
			SubscribersURL: "/admin/subscribers?" + url.Values{"list": {strconv.FormatInt(l.ID, 10)}, "status": {"confirmed"}}.Encode()}
	}
	p.Title, p.Nav = "Lists", "subscribers"
	p.Data = listsData{Lists: rows, Editing: editing}
	s.render(w, r, st, "lists", p)
}

// listFormError shows the page again with the error next to the form that caused it,
// or fails for errors that are not about the input.
func (s *subscriberPages) listFormError(w http.ResponseWriter, r *http.Request, err error, editing int64, form map[string]string) {
	st := status(err)
	if st >= 500 || st == http.StatusNotFound || st == http.StatusForbidden {
		s.fail(w, r, err)
		return
	}
	s.renderLists(w, r, st, page{Error: errs.PublicOf(err), Field: fieldOf(err), Form: form}, editing)
}

// listCreate adds a list.
func (s *subscriberPages) listCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := map[string]string{"slug": r.PostFormValue("slug"), "name": r.PostFormValue("name"), "description": r.PostFormValue("description")}
	if _, err := s.newsletter.CreateList(r.Context(), principal(r), form["slug"], form["name"], form["description"]); err != nil {
		s.listFormError(w, r, err, 0, form)
		return
	}
	redirectFlash(w, r, "/admin/lists", "list-created")
}

// listUpdate renames a list or changes its description.
func (s *subscriberPages) listUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "list")
	if !ok {
		return
	}
	form := map[string]string{"name": r.PostFormValue("name"), "description": r.PostFormValue("description")}
	if err := s.newsletter.UpdateList(r.Context(), principal(r), id, form["name"], form["description"]); err != nil {
		s.listFormError(w, r, err, id, form)
		return
	}
	redirectFlash(w, r, "/admin/lists", "list-saved")
}

// listDelete deletes a list (refused for the default list and lists that a campaign
// not yet finished targets: the page says which).
func (s *subscriberPages) listDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathIDOr404(w, r, "list")
	if !ok {
		return
	}
	if err := s.newsletter.DeleteList(r.Context(), principal(r), id); err != nil {
		s.listFormError(w, r, err, 0, nil)
		return
	}
	redirectFlash(w, r, "/admin/lists", "list-deleted")
}
