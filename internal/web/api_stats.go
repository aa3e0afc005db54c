package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// The statistics JSON API and the CSV exports (docs/analytics.md). The API is read by
// scripts with a read-only token sent as "Authorization: Bearer TOKEN", never a cookie
// or a query parameter (which would end up in logs and browser history). Every figure
// comes from analytics.Reports.Export, so suppression applies exactly as on screen.

// StatsTokens checks the statistics API tokens and lets staff manage them (analytics.Tokens).
type StatsTokens interface {
	Authenticate(ctx context.Context, secret string) (analytics.Token, staff.Principal, error)
	Create(ctx context.Context, actor staff.Principal, name string, siteID int64) (analytics.Token, string, error)
	List(ctx context.Context, actor staff.Principal) ([]analytics.Token, error)
	Revoke(ctx context.Context, actor staff.Principal, id int64) (analytics.Token, error)
}

// statsAPI is a handler of the statistics API, called with the token and the principal
// it acts as.
type statsAPI func(w http.ResponseWriter, r *http.Request, tok analytics.Token, p staff.Principal)

var errStatsToken = errs.E(errs.Unauthorized, "A valid API token is required.")

// withStatsToken authenticates a statistics API request by its bearer token alone and
// rate-limits it per token. Any failure is 401 with a WWW-Authenticate challenge and no
// detail; a cookie is never looked at.
func (s *statsPages) withStatsToken(h statsAPI) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if s.statsTokens == nil || !strings.EqualFold(scheme, "Bearer") || secret == "" {
			s.tokenChallenge(w, r, errStatsToken)
			return
		}
		if key, ok := addrKeyOf(clientAddrOf(r.Context())); ok && !s.statsAPIAddrLimit.Allow(key) {
			w.Header().Set("Retry-After", "1")
			s.fail(w, r, errs.E(errs.RateLimited, "Too many requests from this address; slow down."))
			return
		}
		tok, p, err := s.statsTokens.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			s.tokenChallenge(w, r, err)
			return
		}
		if !s.statsAPILimit.Allow(strconv.FormatInt(tok.ID, 10)) {
			w.Header().Set("Retry-After", "1")
			s.fail(w, r, errs.E(errs.RateLimited, "Too many requests with this token; slow down."))
			return
		}
		h(w, r, tok, p)
	}
}

func (s *statsPages) tokenChallenge(w http.ResponseWriter, r *http.Request, err error) {
	if errs.Is(err, errs.Unauthorized) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="candor-stats"`)
	}
	s.fail(w, r, err)
}

// statsQuery resolves ?site=NAME&from=YYYY-MM-DD&to=YYYY-MM-DD (default: the 30 days
// to today, UTC) for the principal; covers limits the sites a token may read.
func (s *statsPages) statsQuery(r *http.Request, p staff.Principal, covers func(int64) bool) (analytics.Site, time.Time, time.Time, error) {
	q := r.URL.Query()
	if s.siteList == nil || s.reports == nil {
		return analytics.Site{}, time.Time{}, time.Time{}, errs.E(errs.NotFound, "Statistics are not enabled.")
	}
	sites, err := s.siteList.List(r.Context(), p)
	if err != nil {
		return analytics.Site{}, time.Time{}, time.Time{}, err
	}
	var site analytics.Site
	for _, st := range sites {
		if st.Name == q.Get("site") {
			site = st
		}
	}
	if site.ID == 0 {
		return site, time.Time{}, time.Time{}, errs.InvalidField("site", "Name a site: ?site=NAME (see candor sites list).")
	}
	if !covers(site.ID) {
		return site, time.Time{}, time.Time{}, errs.E(errs.Forbidden, "This token does not cover that site.")
	}
	to := time.Now().UTC().Truncate(24 * time.Hour)
	if v := q.Get("to"); v != "" {
		if to, err = time.Parse(time.DateOnly, v); err != nil {
			return site, time.Time{}, time.Time{}, errs.InvalidField("to", "to must be a date, YYYY-MM-DD.")
		}
	}
	from := to.AddDate(0, 0, -29)
	if v := q.Get("from"); v != "" {
		if from, err = time.Parse(time.DateOnly, v); err != nil {
			return site, time.Time{}, time.Time{}, errs.InvalidField("from", "from must be a date, YYYY-MM-DD.")
		}
	}
	return site, from, to, nil
}

// export resolves the query and builds the export, answering errors itself: the
// site's goals, and ?by=hour|day|week|month (the chart's step) and
// ?filter=DIMENSION:VALUE as on the dashboard (a bad one is 400 invalid).
func (s *statsPages) export(w http.ResponseWriter, r *http.Request, p staff.Principal, covers func(int64) bool) (analytics.Export, bool) {
	site, from, to, err := s.statsQuery(r, p, covers)
	if err == nil {
		sc, by := analytics.Scope{}, r.URL.Query().Get("by")
		var ok bool
		if sc.Filter, ok = parseFilter(r.URL.Query()); !ok {
			err = errs.InvalidField("filter", "filter is DIMENSION:VALUE, of a dimension the report lists.")
		} else if sc.Goals, err = s.goalsOf(r.Context(), p, site.ID); err == nil {
			var x analytics.Export
			if x, err = s.reports.ExportScope(r.Context(), p, site, from, to, sc, by); err == nil {
				return x, true
			}
		}
	}
	s.fail(w, r, err)
	return analytics.Export{}, false
}

// apiStats is GET /api/stats: what `candor stats --json` prints, and the visitors of
// the last five minutes counted by this instance ("live_visitors").
func (s *statsPages) apiStats(w http.ResponseWriter, r *http.Request, tok analytics.Token, p staff.Principal) {
	x, ok := s.export(w, r, p, tok.Covers)
	if !ok {
		return
	}
	out, err := s.withLive(x, p, x.SiteID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// apiStatsCSV is GET /api/stats.csv: the same figures as CSV.
func (s *statsPages) apiStatsCSV(w http.ResponseWriter, r *http.Request, tok analytics.Token, p staff.Principal) {
	if x, ok := s.export(w, r, p, tok.Covers); ok {
		writeStatsCSV(w, x)
	}
}

// statsExport is GET /admin/stats/export.csv, the dashboard's "Download CSV".
func (s *statsPages) statsExport(w http.ResponseWriter, r *http.Request) {
	if x, ok := s.export(w, r, principal(r), func(int64) bool { return true }); ok {
		writeStatsCSV(w, x)
	}
}

func writeStatsCSV(w http.ResponseWriter, x analytics.Export) {
	var buf bytes.Buffer
	if err := analytics.WriteCSV(&buf, x); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+url.PathEscape(analytics.CSVName(x))+`"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// statsExportURL is the dashboard's CSV link for a site, range, chart step and filter.
func statsExportURL(site, from, to, by string, f analytics.Filter) string {
	v := url.Values{"site": {site}, "from": {from}, "to": {to}}
	if by != "" {
		v.Set("by", by)
	}
	if !f.IsZero() {
		v.Set("filter", f.Dim+":"+f.Value)
	}
	return "/admin/stats/export.csv?" + v.Encode()
}

// The API's rate limits: per token, a burst of statsAPIBurst requests, then one per
// statsAPIEvery (a dashboard script polls; nobody needs more); per client address,
// before the token is looked up, twice that, so that guessing tokens (hopeless against
// 32 random bytes) cannot cost the database more than the scripts of one office would.
const (
	statsAPIBurst = 30
	statsAPIEvery = time.Second
)
