package web

import (
	"net/http"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// accountPages are a signed-in member's own pages: sign-in and out, the home page, their
// account (password, display name, second factor) and GET /api/v1/me.
type accountPages struct {
	*pages
	staff *staff.Service
}

type accountData struct {
	RecoveryLeft int
	Require2FA   bool
	DisplayName  string // what the field shows: the saved name, or what was typed when refused
	NameError    string // why the typed name was refused, shown under the field
}

// accountPage shows the member's own account: password change and second factor.
func (s *accountPages) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, page{Flash: flash(r)})
}

func (s *accountPages) renderAccount(w http.ResponseWriter, r *http.Request, st int, p page) {
	left, err := s.staff.RecoveryCodesLeft(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := accountData{RecoveryLeft: left, Require2FA: s.staff.Require2FA(r.Context())}
	if m, ok := member(r.Context()); ok {
		d.DisplayName = m.DisplayName
	}
	if typed, ok := p.Form["display_name"]; ok {
		d.DisplayName = typed
	}
	if p.Field == "display_name" {
		d.NameError, p.Error = p.Error, "" // shown under the field that holds the text
	}
	p.Title, p.Nav, p.Data = "My account", "account", d
	s.render(w, r, st, "account", p)
}

// setDisplayName is the member choosing how colleagues see them in the inbox (the
// domain checks and audits it); an empty name clears it. A refused name is shown
// again under the field, as typed.
func (s *accountPages) setDisplayName(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	name := r.PostFormValue("display_name")
	if err := s.staff.SetDisplayName(r.Context(), principal(r), name); err != nil {
		if st := status(err); st == http.StatusBadRequest {
			s.renderAccount(w, r, st, page{Error: errs.PublicOf(err), Field: fieldOf(err), Form: map[string]string{"display_name": name}})
			return
		}
		s.fail(w, r, err)
		return
	}
	redirectFlash(w, r, "/admin/account", "name-saved")
}

// changePassword is the member changing their own password; their other sessions end.
func (s *accountPages) changePassword(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("confirm") {
		s.renderAccount(w, r, http.StatusBadRequest, page{Error: "The two new passwords differ.", Field: "confirm"})
		return
	}
	err := s.staff.ChangePassword(r.Context(), principal(r), r.PostFormValue("current"), next, staff.HashToken(sessionToken(r.Context())))
	if err != nil {
		if st := status(err); st < 500 {
			s.renderAccount(w, r, st, page{Error: errs.PublicOf(err), Field: fieldOf(err)})
			return
		}
		s.fail(w, r, err)
		return
	}
	redirectFlash(w, r, "/admin/account", "password-changed")
}

type totpData struct {
	Enrolled      bool
	Secret        string
	QR            any // template.HTML of the QR code's SVG, drawn here
	RecoveryCodes []string
}

// totpPage shows the second-factor status and the button that starts enrolment.
func (s *accountPages) totpPage(w http.ResponseWriter, r *http.Request) {
	m, _ := member(r.Context())
	s.render(w, r, http.StatusOK, "totp", page{Title: "Two-factor sign-in", Nav: "account", Flash: flash(r),
		Data: totpData{Enrolled: m.HasTOTP}})
}

// totpConfirm starts enrolment (action=begin: a new secret and its QR code) or confirms
// it (action=confirm with a code: the recovery codes are shown once).
func (s *accountPages) totpConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	p := page{Title: "Two-factor sign-in", Nav: "account"}
	if r.PostFormValue("action") == "begin" {
		enr, err := s.staff.BeginTOTP(r.Context(), principal(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		qr, err := qrSVG(enr.URL)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Data = totpData{Secret: enr.Secret, QR: qr}
		s.render(w, r, http.StatusOK, "totp", p)
		return
	}
	codes, err := s.staff.ConfirmTOTP(r.Context(), principal(r), r.PostFormValue("code"))
	if err != nil {
		if st := status(err); st < 500 {
			p.Error, p.Field = errs.PublicOf(err)+" Start again to get a fresh QR code.", "code"
			s.render(w, r, st, "totp", p)
			return
		}
		s.fail(w, r, err)
		return
	}
	p.Data = totpData{Enrolled: true, RecoveryCodes: codes}
	s.render(w, r, http.StatusOK, "totp", p)
}

// fieldOf returns the input field an error is about.
func fieldOf(err error) string {
	if e, ok := err.(*errs.Error); ok {
		return e.Field
	}
	return ""
}

// flashes are the fixed notices a redirect may carry; the query names one, so no
// attacker-chosen text is ever shown.
var flashes = map[string]string{
	"password-changed":  "Your password was changed. Your other sessions were signed out.",
	"name-saved":        "Your display name was saved.",
	"staff-added":       "The staff member was added.",
	"staff-updated":     "The staff member was updated.",
	"settings-saved":    "The setting was saved.",
	"preferences-saved": "Your choice of lists was saved.",
}

func flash(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }

func redirectFlash(w http.ResponseWriter, r *http.Request, to, key string) {
	http.Redirect(w, r, to+"?done="+key, http.StatusSeeOther)
}
