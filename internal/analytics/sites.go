package analytics

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// SiteStore keeps the sites. AddSite returns conflict when the name or domain is taken.
type SiteStore interface {
	AddSite(ctx context.Context, s Site, at time.Time) (Site, error)
	Sites(ctx context.Context) ([]Site, error)
}

// Sites manages the sites and answers the collector's lookups from a cache.
type Sites struct {
	store SiteStore
	now   func() time.Time

	mu       sync.RWMutex
	byDomain map[string]Site
	byName   map[string]Site
	byID     map[int64]Site
	loaded   time.Time
}

// siteReload is how often at most a lookup that misses reloads the site list, so that a
// flood of unknown domains costs one query per interval, not one per request.
const siteReload = 10 * time.Second

// NewSites returns the site manager; now may be nil (time.Now).
func NewSites(store SiteStore, now func() time.Time) *Sites {
	if now == nil {
		now = time.Now
	}
	return &Sites{store: store, now: now}
}

var siteName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,62}$`)
var siteDomain = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// NormalizeDomain lower-cases a host and drops a scheme, "www.", a port and a path.
func NormalizeDomain(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	if _, rest, ok := strings.Cut(d, "://"); ok {
		d = rest
	}
	d, _, _ = strings.Cut(d, "/")
	if h, _, ok := strings.Cut(d, ":"); ok {
		d = h
	}
	return strings.TrimSuffix(strings.TrimPrefix(d, "www."), ".")
}

// Add adds a site; the actor needs staff.ManageSettings.
func (s *Sites) Add(ctx context.Context, actor staff.Principal, name, domain string) (Site, error) {
	if err := actor.Require(staff.ManageSettings); err != nil {
		return Site{}, err
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if !siteName.MatchString(name) {
		e := errs.E(errs.Invalid, "A site's name is 1 to 63 characters: a–z, 0–9, '.' and '-'.")
		e.Field = "name"
		return Site{}, e
	}
	domain = NormalizeDomain(domain)
	if len(domain) > 253 || !siteDomain.MatchString(domain) {
		e := errs.E(errs.Invalid, "The domain must be a host name such as example.com.")
		e.Field = "domain"
		return Site{}, e
	}
	site, err := s.store.AddSite(ctx, Site{Name: name, Domain: domain}, s.now())
	if err != nil {
		return Site{}, err
	}
	s.mu.Lock()
	s.loaded = time.Time{} // the next lookup reloads
	s.mu.Unlock()
	return site, nil
}

// List returns every site, by name; the actor needs staff.ViewStats or staff.ManageSettings.
func (s *Sites) List(ctx context.Context, actor staff.Principal) ([]Site, error) {
	if !actor.Can(staff.ViewStats) && !actor.Can(staff.ManageSettings) {
		return nil, actor.Require(staff.ViewStats)
	}
	return s.store.Sites(ctx)
}

// ByDomain returns the site served from host (normalised as by NormalizeDomain), for
// the collector; not_found when none. Answers come from a cache.
func (s *Sites) ByDomain(ctx context.Context, host string) (Site, error) {
	host = NormalizeDomain(host)
	return s.lookup(ctx, func() (Site, bool) { st, ok := s.byDomain[host]; return st, ok })
}

// ByName returns the site of that name; not_found when none.
func (s *Sites) ByName(ctx context.Context, name string) (Site, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	return s.lookup(ctx, func() (Site, bool) { st, ok := s.byName[name]; return st, ok })
}

// ByID returns the site with that id; not_found when none.
func (s *Sites) ByID(ctx context.Context, id int64) (Site, error) {
	return s.lookup(ctx, func() (Site, bool) { st, ok := s.byID[id]; return st, ok })
}

// Host returns the domain of a site, or "" (for Options.SiteHost).
func (s *Sites) Host(id int64) string {
	st, err := s.ByID(context.Background(), id)
	if err != nil {
		return ""
	}
	return st.Domain
}

func (s *Sites) lookup(ctx context.Context, find func() (Site, bool)) (Site, error) {
	s.mu.RLock()
	st, ok := find()
	fresh := s.now().Sub(s.loaded) < siteReload
	s.mu.RUnlock()
	if ok {
		return st, nil
	}
	if !fresh {
		if err := s.reload(ctx); err != nil {
			return Site{}, err
		}
		s.mu.RLock()
		st, ok = find()
		s.mu.RUnlock()
		if ok {
			return st, nil
		}
	}
	return Site{}, errs.E(errs.NotFound, "No such site.")
}

func (s *Sites) reload(ctx context.Context) error {
	all, err := s.store.Sites(ctx)
	if err != nil {
		return err
	}
	byDomain, byName, byID := map[string]Site{}, map[string]Site{}, map[int64]Site{}
	for _, st := range all {
		byDomain[st.Domain], byName[st.Name], byID[st.ID] = st, st, st
	}
	s.mu.Lock()
	s.byDomain, s.byName, s.byID, s.loaded = byDomain, byName, byID, s.now()
	s.mu.Unlock()
	return nil
}
