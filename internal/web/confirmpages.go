package web

import (
	"net/http"
	"strconv"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
)

type linkData struct {
	Action      string // the form's URL: the same path, POSTed
	Preferences string
	Done        bool
	Lists       []newsletter.Membership
}

// confirmPage is the GET behind the confirmation link: a page with a button. It changes
// nothing, so mail scanners that follow links cannot confirm.
func (s *publicForms) confirmPage(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	if err := s.newsletter.CheckConfirm(r.Context(), tok); err != nil {
		s.publicPageFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "confirm", page{Title: "Confirm your subscription",
		Data: linkData{Action: "/subscribe/confirm/" + tok}})
}

// confirm is the POST behind the page's button.
func (s *publicForms) confirm(w http.ResponseWriter, r *http.Request) {
	if err := s.newsletter.Confirm(r.Context(), r.PathValue("token")); err != nil {
		s.publicPageFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "confirm", page{Title: "Subscription confirmed", Data: linkData{Done: true}})
}

// unsubscribePage is the GET behind a campaign's unsubscribe link: a button and a link
// to the per-list preferences.
func (s *publicForms) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	if _, err := s.newsletter.Preferences(r.Context(), tok); err != nil {
		s.publicPageFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "unsubscribe", page{Title: "Unsubscribe",
		Data: linkData{Action: "/unsubscribe/" + tok, Preferences: "/preferences/" + tok}})
}

// unsubscribe is both the RFC 8058 one-click POST (body List-Unsubscribe=One-Click, no
// cookie, answered at once without a redirect) and the page's button.
func (s *publicForms) unsubscribe(w http.ResponseWriter, r *http.Request) {
	if err := s.newsletter.Unsubscribe(r.Context(), r.PathValue("token")); err != nil {
		s.publicPageFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "unsubscribe", page{Title: "Unsubscribed", Data: linkData{Done: true}})
}

// preferencesPage shows the subscriber's lists with checkboxes.
func (s *publicForms) preferencesPage(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	ms, err := s.newsletter.Preferences(r.Context(), tok)
	if err != nil {
		s.publicPageFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "preferences", page{Title: "Your subscriptions", Flash: flash(r),
		Data: linkData{Action: "/preferences/" + tok, Lists: ms}})
}

// preferences keeps exactly the checked lists; none checked unsubscribes from all.
func (s *publicForms) preferences(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	var keep []int64
	for _, v := range r.PostForm["list"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.publicPageFail(w, r, errs.InvalidField("list", "There is no such list."))
			return
		}
		keep = append(keep, id)
	}
	tok := r.PathValue("token")
	if err := s.newsletter.SetPreferences(r.Context(), tok, keep); err != nil {
		s.publicPageFail(w, r, err)
		return
	}
	if len(keep) == 0 {
		s.render(w, r, http.StatusOK, "unsubscribe", page{Title: "Unsubscribed", Data: linkData{Done: true}})
		return
	}
	redirectFlash(w, r, "/preferences/"+tok, "preferences-saved")
}

// publicPageFail shows a public page's error (an expired link, mostly) in the page
// layout rather than the admin's error page.
func (s *publicForms) publicPageFail(w http.ResponseWriter, r *http.Request, err error) {
	if status(err) >= 500 {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status(err), "notice", page{Title: "This link does not work", Error: errs.PublicOf(err)})
}
