package web

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

var errForeignOrigin = errs.E(errs.Forbidden, "This request came from another site and was refused.")

// cookie names; the __Host- prefix (Secure, Path=/, no Domain) needs HTTPS.
func (s *pages) cookieName(base string) string {
	if s.cfg.SecureCookies() {
		return "__Host-" + base
	}
	return base
}

func (s *pages) setCookie(w http.ResponseWriter, base, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(base), Value: value, Path: "/", MaxAge: maxAge,
		Secure: s.cfg.SecureCookies(), HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

func (s *pages) cookie(r *http.Request, base string) string {
	c, err := r.Cookie(s.cookieName(base))
	if err != nil {
		return ""
	}
	return c.Value
}

const (
	sessionCookie = "candor_session"
	pendingCookie = "candor_mfa" // the password step passed; the code step is owed
)

// guard wraps a route with its access rule: public routes pass; staff routes need a
// session (pages redirect to sign-in, APIs answer 401) and the route's permission (403).
// A member who must change their password or enrol a second factor is sent there first.
func (s *Server) guard(rt route) http.Handler {
	h := rt.Handler
	if rt.Access.public {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := s.cookie(r, sessionCookie)
		m, err := s.staff.Authenticate(r.Context(), token)
		if err != nil {
			if errs.Is(err, errs.Unauthorized) && !rt.API && r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), keyMember, m)
		ctx = context.WithValue(ctx, keySessionToken, token)
		r = r.WithContext(ctx)
		if !rt.Access.setup {
			if m.MustChangePassword {
				s.redirectOrFail(w, r, "/admin/account", errs.E(errs.Forbidden, "Choose a new password first."))
				return
			}
			if !m.HasTOTP && s.staff.Require2FA(r.Context()) {
				s.redirectOrFail(w, r, "/admin/account/2fa", errs.E(errs.Forbidden, "Set up a second factor first."))
				return
			}
		}
		if rt.Access.perm != "" && !m.Role.Can(rt.Access.perm) {
			s.fail(w, r, errs.E(errs.Forbidden, "Your role does not give access to this page."))
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *pages) redirectOrFail(w http.ResponseWriter, r *http.Request, to string, err error) {
	if r.Method == http.MethodGet && !wantsJSON(r) {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	s.fail(w, r, err)
}

// principal is the signed-in member as the domain's acting principal.
func principal(r *http.Request) staff.Principal {
	m, _ := member(r.Context())
	return m.Principal()
}

// safeNext keeps a post-sign-in redirect on this site's admin: the path is cleaned
// (path.Clean, so "/admin/../x" cannot leave /admin) and must then still be under
// /admin/; an empty segment ("//"), a backslash, a control character or an encoded
// slash, backslash or dot in the path is refused outright. Anything else is "/admin/".
func safeNext(next string) string {
	const home = "/admin/"
	p, query, hasQuery := strings.Cut(next, "?")
	if !strings.HasPrefix(p, home) || strings.Contains(p, "//") ||
		strings.ContainsFunc(next, func(c rune) bool { return c == '\\' || c < 0x20 || c == 0x7f }) {
		return home
	}
	if l := strings.ToLower(p); strings.Contains(l, "%2f") || strings.Contains(l, "%5c") || strings.Contains(l, "%2e") {
		return home
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, home) {
		return home
	}
	if hasQuery {
		clean += "?" + query
	}
	return clean
}
