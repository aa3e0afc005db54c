package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// page is what every template receives.
type page struct {
	Title  string
	Nav    string // the active navigation item
	Me     *staff.Member
	Logged bool   // the page shows personal data and the view is audited
	Flash  string // a one-line notice
	Error  string // a form-level error
	Field  string // the form field at fault
	Form   map[string]string
	Demo   bool
	Alerts map[string]bool // navigation keys marked red (pages.navAlerts)
	Data   any
}

// navItem is one entry of the left navigation, shown only to roles that may use it.
type navItem struct {
	Key, Label, Href string
	Perm             staff.Permission // "" for everyone signed in
}

// navigation lists the admin's sections; the domain issues add theirs here.
var navigation = []navItem{
	{Key: "home", Label: "Home", Href: "/admin/"},
	{Key: "inbox", Label: "Inbox", Href: "/admin/inbox", Perm: staff.ReadInbox},
	{Key: "subscribers", Label: "Subscribers", Href: "/admin/subscribers", Perm: staff.ManageSubscribers},
	{Key: "campaigns", Label: "Campaigns", Href: "/admin/campaigns", Perm: staff.ManageCampaigns},
	{Key: "stats", Label: "Statistics", Href: "/admin/stats", Perm: staff.ViewStats},
	{Key: "shop", Label: "Shop", Href: "/admin/shop", Perm: staff.ManageShop},
	{Key: "outbox", Label: "Outbox", Href: "/admin/outbox", Perm: staff.ViewOutbox},
	{Key: "data-requests", Label: "Data requests", Href: "/admin/data-requests", Perm: staff.HandleRequests},
	{Key: "promises", Label: "Promises", Href: "/admin/promises", Perm: staff.ManageSettings},
	{Key: "staff", Label: "Staff", Href: "/admin/staff", Perm: staff.ManageStaff},
	{Key: "audit", Label: "Audit log", Href: "/admin/audit", Perm: staff.ViewAudit},
	{Key: "account", Label: "My account", Href: "/admin/account"},
}

// assets maps a static file's name to its content-hashed URL.
type assets struct {
	byName map[string]string // "admin.css" → "/static/admin.3f2a1c9b.css"
	byPath map[string]string // "admin.3f2a1c9b.css" → "static/admin.css"
}

func loadAssets() (assets, error) {
	a := assets{byName: map[string]string{}, byPath: map[string]string{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.byName[name] = "/static/" + hashed
		a.byPath[hashed] = p
		return nil
	})
	return a, err
}

func (a assets) url(name string) (string, error) {
	if u, ok := a.byName[name]; ok {
		return u, nil
	}
	return "", fmt.Errorf("no static asset %q", name)
}

// parseTemplates builds one template set per page, each with the shared layout.
func parseTemplates(a assets) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		"can": func(m *staff.Member, p string) bool {
			return m != nil && m.Role.Can(staff.Permission(p))
		},
		"nav": func() []navItem { return navigation },
		// The shop's money and invoice numbers, printed one way everywhere.
		"money":   shop.FormatMoney,
		"invoice": shop.InvoiceNumber,
		"rate":    shop.FormatRate,
		"time":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	}
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range files {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue // the layout and partials (_*.html) are parsed into every page
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", p)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// render writes a page through the layout. It renders into a buffer first so that a
// template error becomes a clean 500, not half a page.
func (s *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if m, ok := member(r.Context()); ok && p.Me == nil {
		p.Me = &m
	}
	if p.Me != nil && s.navAlerts != nil {
		p.Alerts = s.navAlerts(r.Context(), *p.Me)
	}
	p.Demo = s.cfg.Demo
	t, ok := s.templates[name]
	var buf bytes.Buffer
	if !ok {
		s.log.Error("missing template", "template", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("template failed", "template", name, "request_id", RequestID(r.Context()), "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if strings.HasPrefix(r.URL.Path, "/admin") {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// writeJSON writes v as JSON with a status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveStatic serves a content-hashed asset with a year-long immutable cache.
func (s *pages) serveStatic(w http.ResponseWriter, r *http.Request) {
	p, ok := s.assets.byPath[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	b, err := staticFiles.ReadFile(p)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, path.Base(p), time.Time{}, bytes.NewReader(b))
}
