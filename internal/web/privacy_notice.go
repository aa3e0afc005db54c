package web

import (
	"fmt"
	"html/template"
	"net/http"
	"os"
	"time"

	"github.com/candor-dev/candor/internal/config"
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

// PublishPrivacyNotice generates the public privacy notice from the inventory and cfg
// (the vendor's name and outside, egress.Listing(cfg), come from the caller), reads the
// vendor's --privacy-intro, and versions the generated part in the data directory: the
// date is kept while the facts stay the same, and becomes now's day when they change.
func PublishPrivacyNotice(cfg config.Config, vendor string, outside []string, now time.Time) (*privacy.Published, error) {
	var intro string
	if cfg.PrivacyIntro != "" {
		b, err := os.ReadFile(cfg.PrivacyIntro)
		if err != nil {
			return nil, fmt.Errorf("setting --privacy-intro (CANDOR_PRIVACY_INTRO): %w", err)
		}
		intro = string(b)
	}
	facts := privacy.Notice(privacy.NoticeInput{Settings: cfg.ListingByName(), Vendor: vendor, Outside: outside})
	p, err := privacy.Publish(facts, intro, privacy.VersionFileIn(cfg.DataDir), now)
	if err != nil {
		return nil, err
	}
	return &p, nil
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
