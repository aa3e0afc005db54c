package web

import (
	"html/template"
	"net/http"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/privacy"
)

// privacyNotice serves the public privacy notice: /privacy (HTML) and /privacy.json, the
// same generated facts (privacy.Notice) under the vendor's own words.
type privacyNotice struct {
	*pages
	notice *privacy.Published // nil: both answer 404
	intro  template.HTML      // the vendor's Markdown, rendered once with the campaigns' safe renderer
}

// newPrivacyNotice renders the vendor's introduction once.
func newPrivacyNotice(p *pages, n *privacy.Published) (*privacyNotice, error) {
	pn := &privacyNotice{pages: p, notice: n}
	if n != nil && n.Intro != "" {
		html, err := newsletter.RenderMarkdown(n.Intro)
		if err != nil {
			return nil, err
		}
		pn.intro = html
	}
	return pn, nil
}

// privacyData feeds templates/privacy.html.
type privacyData struct {
	Facts   privacy.NoticeFacts
	Version string
	Changed string
	Intro   template.HTML
}

// privacyJSON is the body of /privacy.json: the facts, their version and its date.
type privacyJSON struct {
	Version string              `json:"version"`
	Changed string              `json:"changed"`
	Intro   string              `json:"intro_markdown"`
	Facts   privacy.NoticeFacts `json:"facts"`
}

// page is GET /privacy.
func (s *privacyNotice) page(w http.ResponseWriter, r *http.Request) {
	n, ok := s.published(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "privacy", page{Title: "Privacy", Data: privacyData{
		Facts: n.Facts, Version: n.Version, Changed: n.Changed.Format(time.DateOnly), Intro: s.intro}})
}

// json is GET /privacy.json.
func (s *privacyNotice) json(w http.ResponseWriter, r *http.Request) {
	n, ok := s.published(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, privacyJSON{Version: n.Version, Changed: n.Changed.Format(time.DateOnly), Intro: n.Intro, Facts: n.Facts})
}

func (s *privacyNotice) published(w http.ResponseWriter, r *http.Request) (*privacy.Published, bool) {
	if s.notice == nil {
		s.fail(w, r, errs.E(errs.NotFound, "There is no privacy notice here."))
		return nil, false
	}
	return s.notice, true
}
