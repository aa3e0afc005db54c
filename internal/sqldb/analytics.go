package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
)

// AnalyticsStore keeps sites and aggregate statistics; it implements analytics.Store,
// analytics.ReportStore and analytics.SiteStore. It never sees a hit, only aggregates.
type AnalyticsStore struct{ DB *DB }

var (
	_ analytics.Store       = AnalyticsStore{}
	_ analytics.ReportStore = AnalyticsStore{}
	_ analytics.SiteStore   = AnalyticsStore{}
)

// mergeChunk is how many aggregates one set of statements merges (10 parameters each).
const mergeChunk = 250

// Merge adds every aggregate to its stored row in one transaction: counters summed and
// sketches merged in Go. Per chunk of aggregates, three statements: insert the missing
// rows empty (ON CONFLICT DO NOTHING, so instances racing on a new row both end up on
// one), read and lock them all (FOR UPDATE on PostgreSQL; SQLite's writer transaction
// already holds the database lock), and write the sums and merged sketches back with one
// multi-row upsert.
func (s AnalyticsStore) Merge(ctx context.Context, aggs []analytics.Aggregate) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		for start := 0; start < len(aggs); start += mergeChunk {
			if err := mergeChunkTx(ctx, tx, aggs[start:min(start+mergeChunk, len(aggs))]); err != nil {
				return err
			}
		}
		return nil
	})
}

type statKey struct {
	site, day  int64
	dim, value string
}

func mergeChunkTx(ctx context.Context, tx *Tx, aggs []analytics.Aggregate) error {
	keys := make([]string, len(aggs))
	keyArgs := make([]any, 0, 4*len(aggs))
	empty := make([]string, len(aggs))
	emptyArgs := make([]any, 0, 4*len(aggs))
	for i, ag := range aggs {
		keys[i] = "(CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?)"
		keyArgs = append(keyArgs, ag.SiteID, ag.Day, ag.Dim, ag.Value)
		empty[i] = "(?, ?, ?, ?, 0, 0, 0, 0, 0, ?)"
		emptyArgs = append(emptyArgs, ag.SiteID, ag.Day, ag.Dim, ag.Value, []byte{})
	}
	if _, err := tx.Exec(ctx, `INSERT INTO stats (site_id, day, dim, value, pageviews, visits, bounces, duration_ms, events, visitors_hll)
		VALUES `+strings.Join(empty, ", ")+` ON CONFLICT (site_id, day, dim, value) DO NOTHING`, emptyArgs...); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT site_id, day, dim, value, visitors_hll FROM stats
		WHERE (site_id, day, dim, value) IN (VALUES `+strings.Join(keys, ", ")+`)`+tx.Dialect().ForUpdate(), keyArgs...)
	if err != nil {
		return err
	}
	old := make(map[statKey][]byte, len(aggs))
	for rows.Next() {
		var k statKey
		var sk []byte
		if err := rows.Scan(&k.site, &k.day, &k.dim, &k.value, &sk); err != nil {
			rows.Close()
			return translate(err)
		}
		old[k] = sk
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return translate(err)
	}
	vals := make([]string, len(aggs))
	args := make([]any, 0, 10*len(aggs))
	for i, ag := range aggs {
		sk, err := analytics.MergeSketches(old[statKey{ag.SiteID, ag.Day, ag.Dim, ag.Value}], ag.Visitors)
		if err != nil {
			return err
		}
		c := ag.Counters
		vals[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		args = append(args, ag.SiteID, ag.Day, ag.Dim, ag.Value, c.Pageviews, c.Visits, c.Bounces, c.DurationMs, c.Events, sk)
	}
	_, err = tx.Exec(ctx, `INSERT INTO stats (site_id, day, dim, value, pageviews, visits, bounces, duration_ms, events, visitors_hll)
		VALUES `+strings.Join(vals, ", ")+` ON CONFLICT (site_id, day, dim, value) DO UPDATE SET
		pageviews = stats.pageviews + excluded.pageviews, visits = stats.visits + excluded.visits,
		bounces = stats.bounces + excluded.bounces, duration_ms = stats.duration_ms + excluded.duration_ms,
		events = stats.events + excluded.events, visitors_hll = excluded.visitors_hll`, args...)
	return err
}

// Stats returns every aggregate of a site between two days, inclusive.
func (s AnalyticsStore) Stats(ctx context.Context, siteID int64, fromDay, toDay int64) ([]analytics.Aggregate, error) {
	rows, err := s.DB.Query(ctx, `SELECT day, dim, value, pageviews, visits, bounces, duration_ms, events, visitors_hll
		FROM stats WHERE site_id = ? AND day >= ? AND day <= ?`, siteID, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []analytics.Aggregate
	for rows.Next() {
		ag := analytics.Aggregate{SiteID: siteID}
		c := &ag.Counters
		if err := rows.Scan(&ag.Day, &ag.Dim, &ag.Value, &c.Pageviews, &c.Visits, &c.Bounces, &c.DurationMs, &c.Events, &ag.Visitors); err != nil {
			return nil, translate(err)
		}
		out = append(out, ag)
	}
	return out, translate(rows.Err())
}

// AddSite inserts a site; conflict when its name or domain is taken.
func (s AnalyticsStore) AddSite(ctx context.Context, site analytics.Site, at time.Time) (analytics.Site, error) {
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		site.ID, err = InsertID(ctx, tx, "INSERT INTO sites (name, domain, created_at) VALUES (?, ?, ?)", site.Name, site.Domain, toMillis(at))
		return err
	})
	return site, err
}

// Sites returns every site, by name.
func (s AnalyticsStore) Sites(ctx context.Context) ([]analytics.Site, error) {
	rows, err := s.DB.Query(ctx, "SELECT id, name, domain FROM sites ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []analytics.Site
	for rows.Next() {
		var st analytics.Site
		if err := rows.Scan(&st.ID, &st.Name, &st.Domain); err != nil {
			return nil, translate(err)
		}
		out = append(out, st)
	}
	return out, translate(rows.Err())
}
