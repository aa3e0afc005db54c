package web

import (
	"net/http"

	"github.com/candor-dev/candor/internal/mail"
)

// previewCSP is the policy of a rendered campaign shown in the preview frame: a sandbox
// (no script, no form, no top navigation, an opaque origin), nothing loaded but data:
// images and the mail's own inline styles (a campaign may hold no remote image: it
// would be a tracking pixel), framed only by Candor's own pages.
const previewCSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

type campaignPreviewData struct {
	campaignView
	Content mail.Content
}

// campaignPreview shows the rendered HTML in a sandboxed frame, and the text version.
func (s *campaignPages) campaignPreview(w http.ResponseWriter, r *http.Request) {
	v, _, err := s.loadCampaign(r)
	var content mail.Content
	if err == nil {
		content, err = s.campaigns.Preview(r.Context(), v.Campaign)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "campaign_preview", page{Title: "Preview", Nav: "campaigns",
		Data: campaignPreviewData{campaignView: v, Content: content}})
}

// campaignPreviewHTML is the rendered campaign itself, for the preview frame only: its
// own Content-Security-Policy replaces the admin's for this one response.
func (s *campaignPages) campaignPreviewHTML(w http.ResponseWriter, r *http.Request) {
	v, _, err := s.loadCampaign(r)
	var content mail.Content
	if err == nil {
		content, err = s.campaigns.Preview(r.Context(), v.Campaign)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", previewCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(content.HTML))
}
