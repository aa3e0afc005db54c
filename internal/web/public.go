package web

import (
	"context"
	"net/http"
	"time"

	"github.com/candor-dev/candor/internal/demo"
)

// probes are the health and readiness endpoints.
type probes struct {
	health Health
}

// healthz answers while the process runs.
func (s *probes) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database is reachable and fully migrated, else 503.
func (s *probes) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.health.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return
	}
	if n, err := s.health.Pending(ctx); err != nil || n > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("migrations pending\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// site is "/": in demo mode, the vendor's demo website showing where Candor's forms,
// tracker and buy buttons go; otherwise a short note pointing to the admin.
func (s *publicForms) site(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Demo {
		s.render(w, r, http.StatusOK, "index", page{Title: "Candor"})
		return
	}
	sub, err := s.subscribeForm(r, "demo-site", page{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	con, err := s.contactForm(page{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range demo.Site().Products {
		con.Topics = append(con.Topics, p.Name)
	}
	s.render(w, r, http.StatusOK, "demo", page{Title: demo.VendorName, Data: demoData{Site: demo.Site(), Subscribe: sub, Contact: con}})
}

// demoData is the demo site: the vendor's content and Candor's forms in place.
type demoData struct {
	Site      demo.SiteData
	Subscribe subscribeData
	Contact   contactData
}

// apiMe describes the signed-in member (for scripts and the route test).
func (s *accountPages) apiMe(w http.ResponseWriter, r *http.Request) {
	m, _ := member(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{
		"id": m.ID, "role": m.Role, "second_factor": m.HasTOTP, "permissions": m.Role.Permissions(),
	})
}

// home is the admin's start page.
func (s *accountPages) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", page{Title: "Home", Nav: "home"})
}
