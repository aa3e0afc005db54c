package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// pages is the renderer every area shares: the configuration, the templates and assets,
// the log, and the helpers every handler needs (render, fail, cookies, path ids, the
// site-origin check). It holds no domain service: an area holds only the ones it uses.
type pages struct {
	cfg       config.Config
	log       *slog.Logger
	assets    assets
	templates map[string]*template.Template
	// navAlerts marks navigation items red for the member (the Promises item when a
	// privacy check is red); nil marks none.
	navAlerts func(ctx context.Context, m staff.Member) map[string]bool
}

// newPages loads the embedded assets and parses every template.
func newPages(cfg config.Config, log *slog.Logger) (*pages, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	t, err := parseTemplates(a)
	if err != nil {
		return nil, err
	}
	return &pages{cfg: cfg, log: log, assets: a, templates: t}, nil
}

// pathID reads the {id} path value: a positive number.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// pathIDOr404 reads the {id} path value, answering "There is no such <what>." (404)
// when it is not a positive number.
func (s *pages) pathIDOr404(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	id, ok := pathID(r)
	if !ok {
		s.fail(w, r, errs.E(errs.NotFound, "There is no such "+what+"."))
	}
	return id, ok
}

// postedID is pathIDOr404 for a form post: it also parses the form (errors answered).
func (s *pages) postedID(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	id, ok := s.pathIDOr404(w, r, what)
	if !ok {
		return 0, false
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}

// isSiteOrigin reports whether origin is one of the vendor's websites.
func (s *pages) isSiteOrigin(origin string) bool { return slices.Contains(s.cfg.SiteOrigins, origin) }

// allowSiteOrigin lets the vendor's own website read the answer of a fetch call (CORS),
// and nobody else; cookies are never involved.
func (s *pages) allowSiteOrigin(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); s.isSiteOrigin(origin) {
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	w.Header().Add("Vary", "Origin")
}
