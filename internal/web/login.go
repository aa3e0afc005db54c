package web

import (
	"net/http"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// loginPage shows the sign-in form (or the code step when a password step is pending).
func (s *accountPages) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.staff.Authenticate(r.Context(), s.cookie(r, sessionCookie)); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", page{Title: "Sign in", Data: loginData{
		Next: safeNext(r.URL.Query().Get("next")), NeedCode: s.cookie(r, pendingCookie) != "" && r.URL.Query().Get("step") == "code",
	}})
}

type loginData struct {
	Next     string
	NeedCode bool
}

// login is POST /admin/login: fields email, password and, for the second factor, code.
// The three may come together, or the code may follow in a second post.
func (s *accountPages) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	next := safeNext(r.PostFormValue("next"))
	in := staff.SignInInput{
		Email:        strings.TrimSpace(r.PostFormValue("email")),
		Password:     r.PostFormValue("password"),
		Code:         strings.TrimSpace(r.PostFormValue("code")),
		PendingToken: s.cookie(r, pendingCookie),
		IP:           ClientIP(r.Context()),
	}
	res, err := s.staff.SignIn(r.Context(), in)
	if err != nil {
		st := status(err)
		if wantsJSON(r) || st >= 500 {
			s.fail(w, r, err)
			return
		}
		needCode := in.PendingToken != "" && in.Password == ""
		s.render(w, r, st, "login", page{Title: "Sign in", Error: errs.PublicOf(err),
			Form: map[string]string{"email": in.Email}, Data: loginData{Next: next, NeedCode: needCode}})
		return
	}
	if res.NeedCode {
		s.setCookie(w, pendingCookie, res.Token, 300)
		if wantsJSON(r) {
			writeJSON(w, http.StatusAccepted, map[string]any{"second_factor_required": true})
			return
		}
		s.render(w, r, http.StatusOK, "login", page{Title: "Sign in", Data: loginData{Next: next, NeedCode: true}})
		return
	}
	s.setCookie(w, pendingCookie, "", -1)
	s.setCookie(w, sessionCookie, res.Token, int(s.staff.Options().AbsoluteTimeout.Seconds()))
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"id": res.Member.ID, "role": res.Member.Role})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout ends the session.
func (s *accountPages) logout(w http.ResponseWriter, r *http.Request) {
	_ = s.staff.SignOut(r.Context(), sessionToken(r.Context()))
	s.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}
