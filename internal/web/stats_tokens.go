package web

import (
	"net/http"
	"strconv"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
)

// The statistics API tokens page (permission stats.view, checked again by the domain):
// the tokens with their scope, creator and last use; a form to create one, whose secret
// is shown once in the answer to the post and never again; revocation.

type tokenRow struct {
	analytics.Token
	Site string // the site's name, or "All sites"
}

type tokensData struct {
	Tokens []tokenRow
	Sites  []analytics.Site
	Secret string // the new token's secret, in the answer to its creation only
	Name   string // the new token's name
}

var tokenFlashes = map[string]string{"token-revoked": "The token was revoked: it no longer works."}

func (s *statsPages) statsTokensPage(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, page{Flash: tokenFlashes[r.URL.Query().Get("done")]}, tokensData{})
}

// renderTokens renders the page with the token list around d.
func (s *statsPages) renderTokens(w http.ResponseWriter, r *http.Request, status int, p page, d tokensData) {
	if s.statsTokens == nil || s.siteList == nil {
		s.fail(w, r, errs.E(errs.NotFound, "Statistics are not enabled."))
		return
	}
	actor := principal(r)
	sites, err := s.siteList.List(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tokens, err := s.statsTokens.List(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, st := range sites {
		names[st.ID] = st.Name
	}
	d.Sites = sites
	for _, t := range tokens {
		row := tokenRow{Token: t, Site: "All sites"}
		if t.SiteID != 0 {
			row.Site = names[t.SiteID]
		}
		d.Tokens = append(d.Tokens, row)
	}
	p.Title, p.Nav, p.Data = "Statistics API tokens", "stats", d
	s.render(w, r, status, "stats_tokens", p)
}

// statsTokenCreate creates a token and shows its secret once.
func (s *statsPages) statsTokenCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.statsTokens == nil {
		s.fail(w, r, errs.E(errs.NotFound, "Statistics are not enabled."))
		return
	}
	name := r.PostFormValue("name")
	site, _ := strconv.ParseInt(r.PostFormValue("site"), 10, 64)
	_, secret, err := s.statsTokens.Create(r.Context(), principal(r), name, site)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			s.renderTokens(w, r, http.StatusBadRequest, page{Error: errs.PublicOf(err), Field: "name", Form: map[string]string{"name": name}}, tokensData{})
			return
		}
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.renderTokens(w, r, http.StatusOK, page{}, tokensData{Secret: secret, Name: name})
}

// statsTokenRevoke revokes a token at once.
func (s *statsPages) statsTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "token")
	if !ok {
		return
	}
	if s.statsTokens == nil {
		s.fail(w, r, errs.E(errs.NotFound, "Statistics are not enabled."))
		return
	}
	if _, err := s.statsTokens.Revoke(r.Context(), principal(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/stats/tokens?done=token-revoked", http.StatusSeeOther)
}
