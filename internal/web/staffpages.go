package web

import (
	"crypto/rand"
	"net/http"
	"strconv"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// staffPages manage the staff (owners): members, roles, resets and the 2FA requirement.
type staffPages struct {
	*pages
	staff *staff.Service
	audit *audit.Log // a member's recent actions on their page
}

type staffListData struct {
	Members    []staff.Member
	Roles      []staff.Role
	Require2FA bool
	Created    *createdMember // set right after adding someone: their one-time password
}

type createdMember struct {
	Member   staff.Member
	Password string
}

// staffList shows every member; emails are personal data, so the view is audited.
func (s *staffPages) staffList(w http.ResponseWriter, r *http.Request) {
	s.renderStaffList(w, r, http.StatusOK, page{Flash: flash(r)}, nil)
}

func (s *staffPages) renderStaffList(w http.ResponseWriter, r *http.Request, st int, p page, created *createdMember) {
	members, err := s.staff.List(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title, p.Nav, p.Logged = "Staff", "staff", true
	p.Data = staffListData{Members: members, Roles: staff.Roles, Require2FA: s.staff.Require2FA(r.Context()), Created: created}
	s.render(w, r, st, "staff", p)
}

// staffAdd creates a member with a one-time password, shown once to the owner; the new
// member must choose their own at first sign-in.
func (s *staffPages) staffAdd(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	pw := oneTimePassword()
	m, err := s.staff.Add(r.Context(), principal(r), r.PostFormValue("email"), staff.Role(r.PostFormValue("role")), pw, true)
	if err != nil {
		if st := status(err); st < 500 {
			s.renderStaffList(w, r, st, page{Error: errs.PublicOf(err), Field: fieldOf(err),
				Form: map[string]string{"email": r.PostFormValue("email"), "role": r.PostFormValue("role")}}, nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.renderStaffList(w, r, http.StatusOK, page{Flash: flashes["staff-added"]}, &createdMember{Member: m, Password: pw})
}

type staffDetailData struct {
	Member   staff.Member
	Roles    []staff.Role
	Password string // a one-time password just set by a reset
}

// staffDetail shows one member and the actions on them; audited.
func (s *staffPages) staffDetail(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errs.E(errs.NotFound, "No such staff member."))
		return
	}
	s.renderStaffDetail(w, r, id, page{Flash: flash(r)}, "")
}

func (s *staffPages) renderStaffDetail(w http.ResponseWriter, r *http.Request, id int64, p page, password string) {
	m, err := s.staff.Get(r.Context(), principal(r), id)
	if err == nil { // fail closed: no view of personal data without its audit entry
		err = s.audit.Record(r.Context(), principal(r).Name, "staff.view", staff.Subject(id))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title, p.Nav, p.Logged = "Staff member", "staff", true
	p.Data = staffDetailData{Member: m, Roles: staff.Roles, Password: password}
	s.render(w, r, http.StatusOK, "staff_detail", p)
}

// staffAction applies one action to a member: role, disable, enable, reset-password,
// reset-2fa. Each is audited by the domain.
func (s *staffPages) staffAction(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errs.E(errs.NotFound, "No such staff member."))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	actor, ctx := principal(r), r.Context()
	var password string
	switch r.PathValue("action") {
	case "role":
		_, err = s.staff.SetRole(ctx, actor, id, staff.Role(r.PostFormValue("role")))
	case "disable":
		_, err = s.staff.Disable(ctx, actor, id)
	case "enable":
		_, err = s.staff.Enable(ctx, actor, id)
	case "reset-password":
		password = oneTimePassword()
		_, err = s.staff.ResetPassword(ctx, actor, id, password)
	case "reset-2fa":
		_, err = s.staff.Reset2FA(ctx, actor, id)
	case "clear-name":
		_, err = s.staff.ClearDisplayName(ctx, actor, id)
	default:
		err = errs.E(errs.NotFound, "No such action.")
	}
	if err != nil {
		if st := status(err); st < 500 && st != http.StatusNotFound {
			s.renderStaffDetail(w, r, id, page{Error: errs.PublicOf(err)}, "")
			return
		}
		s.fail(w, r, err)
		return
	}
	if password != "" {
		s.renderStaffDetail(w, r, id, page{Flash: "A one-time password was set; the member was signed out everywhere."}, password)
		return
	}
	redirectFlash(w, r, "/admin/staff/"+strconv.FormatInt(id, 10), "staff-updated")
}

// setRequire2FA turns the all-staff second-factor requirement on or off.
func (s *staffPages) setRequire2FA(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.staff.SetRequire2FA(r.Context(), principal(r), r.PostFormValue("on") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	redirectFlash(w, r, "/admin/staff", "settings-saved")
}

// oneTimePassword is 26 random base32 characters (128 bits), to be replaced at first use.
func oneTimePassword() string { return rand.Text() }
