package sqldb

import (
	"context"
	"sort"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
)

// AnalyticsStore keeps sites and aggregate statistics (the stat_cells table: one row per
// site, day and dimension, and one per site, week and dimension); it implements analytics.Store, analytics.ReportStore and
// analytics.SiteStore. It never sees a hit, only aggregates.
type AnalyticsStore struct{ DB *DB }

var (
	_ analytics.Store       = AnalyticsStore{}
	_ analytics.ReportStore = AnalyticsStore{}
	_ analytics.SiteStore   = AnalyticsStore{}
)

// mergeChunk is how many rows (site, span, day, dimension) one set of statements merges.
const mergeChunk = 200

// Merge adds every aggregate to its stored cells in one transaction: to its day's row
// and to its week's roll-up, counters and visitors summed (analytics.MergeCells). The
// aggregates come sorted (Aggregator.Flush), so those of one site, day and dimension
// are adjacent. Per chunk of rows, three statements: insert the missing rows empty (ON
// CONFLICT DO NOTHING, so instances racing on a new row both end up on one), read and
// lock them all in key order (FOR UPDATE on PostgreSQL; SQLite's writer transaction
// already holds the database lock), and write the merged cells back with one multi-row
// upsert.
func (s AnalyticsStore) Merge(ctx context.Context, aggs []analytics.Aggregate) error {
	byRow := map[rowKey][][]analytics.Aggregate{} // a row's groups: one per day
	var keys []rowKey
	for start := 0; start < len(aggs); {
		end := start + 1
		for end < len(aggs) && aggs[end].SiteID == aggs[start].SiteID && aggs[end].Day == aggs[start].Day && aggs[end].Dim == aggs[start].Dim {
			end++
		}
		ag := aggs[start]
		for _, k := range []rowKey{{ag.SiteID, 1, ag.Day, ag.Dim}, {ag.SiteID, 7, analytics.WeekOf(ag.Day), ag.Dim}} {
			if byRow[k] == nil {
				keys = append(keys, k)
			}
			byRow[k] = append(byRow[k], aggs[start:end])
		}
		start = end
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	return s.DB.InTx(ctx, func(tx *Tx) error {
		for start := 0; start < len(keys); start += mergeChunk {
			if err := mergeChunkTx(ctx, tx, keys[start:min(start+mergeChunk, len(keys))], byRow); err != nil {
				return err
			}
		}
		return nil
	})
}

// rowKey names one stat_cells row.
type rowKey struct {
	site int64
	span int
	day  int64
	dim  string
}

func (k rowKey) less(o rowKey) bool {
	if k.site != o.site {
		return k.site < o.site
	}
	if k.span != o.span {
		return k.span < o.span
	}
	if k.day != o.day {
		return k.day < o.day
	}
	return k.dim < o.dim
}

// mergeChunkTx merges into each row of keys its groups of aggregates (each sorted by value).
func mergeChunkTx(ctx context.Context, tx *Tx, keys []rowKey, byRow map[rowKey][][]analytics.Aggregate) error {
	keyArgs := make([]any, 0, 4*len(keys))
	emptyArgs := make([]any, 0, 5*len(keys))
	for _, k := range keys {
		keyArgs = append(keyArgs, k.site, k.span, k.day, k.dim)
		emptyArgs = append(emptyArgs, k.site, k.span, k.day, k.dim, []byte{})
	}
	if _, err := tx.Exec(ctx, list(query("stat-cells-add-empty"), "rows", len(keys)), emptyArgs...); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, list(tx.Dialect().query("stat-cells-lock"), "keys", len(keys)), keyArgs...)
	if err != nil {
		return err
	}
	old := make(map[rowKey][]byte, len(keys))
	for rows.Next() {
		var k rowKey
		var cells []byte
		if err := rows.Scan(&k.site, &k.span, &k.day, &k.dim, &cells); err != nil {
			rows.Close()
			return translate(err)
		}
		old[k] = cells
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return translate(err)
	}
	args := make([]any, 0, 5*len(keys))
	for _, k := range keys {
		cells := old[k]
		for _, g := range byRow[k] {
			var err error
			if cells, err = analytics.MergeCells(cells, g); err != nil {
				return err
			}
		}
		args = append(args, k.site, k.span, k.day, k.dim, cells)
	}
	_, err = tx.Exec(ctx, list(query("stat-cells-merge"), "rows", len(keys)), args...)
	return err
}

// DayCells returns the packed cells of a site for each day between two days, inclusive,
// of the dimensions named (all when none). Rows of the stats table written before
// migration 0008 follow, packed the same way, their sketches estimated.
func (s AnalyticsStore) DayCells(ctx context.Context, siteID int64, fromDay, toDay int64, dims ...string) ([]analytics.DayCells, error) {
	args := []any{siteID, fromDay, toDay}
	var only filter // the legacy rows' filter on dims
	q := query("day-cells-all")
	if len(dims) > 0 {
		for _, d := range dims {
			args = append(args, d)
		}
		only.add(list("dim IN (?/*dims*/)", "dims", len(dims)), args[3:]...)
		q = list(query("day-cells"), "dims", len(dims))
	}
	out, err := s.cells(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return s.legacyCells(ctx, out, siteID, fromDay, toDay, only)
}

// RangeCells returns packed cells that count each day between two days, inclusive,
// once: the weeks (Monday to Sunday) wholly inside the range as their roll-ups, the days
// before and after them one by one; then the stats rows of migration 0004, as DayCells.
func (s AnalyticsStore) RangeCells(ctx context.Context, siteID int64, fromDay, toDay int64) ([]analytics.DayCells, error) {
	const day, week = 24 * 60 * 60 * 1000, 7 * 24 * 60 * 60 * 1000
	firstWeek := analytics.WeekOf(fromDay + week - day) // the first Monday on or after fromDay
	lastWeek := analytics.WeekOf(toDay+day) - week      // the Monday of the last week ending by toDay
	var out []analytics.DayCells
	var err error
	if firstWeek > lastWeek { // no whole week
		out, err = s.cells(ctx, query("range-cells-days"), siteID, fromDay, toDay)
	} else {
		out, err = s.cells(ctx, query("range-cells-weeks"),
			siteID, fromDay, firstWeek, siteID, firstWeek, lastWeek, siteID, lastWeek+week-day, toDay)
	}
	if err != nil {
		return nil, err
	}
	return s.legacyCells(ctx, out, siteID, fromDay, toDay, filter{})
}

// cells runs a query of stat_cells rows (span, day, dim, cells).
func (s AnalyticsStore) cells(ctx context.Context, query string, args ...any) ([]analytics.DayCells, error) {
	rows, err := s.DB.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []analytics.DayCells
	for rows.Next() {
		var d analytics.DayCells
		if err := rows.Scan(&d.Days, &d.Day, &d.Dim, &d.Data); err != nil {
			return nil, translate(err)
		}
		out = append(out, d)
	}
	return out, translate(rows.Err())
}

// legacyCells appends the stats rows (before migration 0008) of a site between two days,
// inclusive, that match only, packed per day and dimension.
func (s AnalyticsStore) legacyCells(ctx context.Context, out []analytics.DayCells, siteID, fromDay, toDay int64, only filter) ([]analytics.DayCells, error) {
	q, args := only.fill(query("legacy-cells"))
	rows, err := s.DB.Query(ctx, q, append([]any{siteID, fromDay, toDay}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var group []analytics.Aggregate
	pack := func() {
		if len(group) > 0 {
			out = append(out, analytics.DayCells{Day: group[0].Day, Days: 1, Dim: group[0].Dim, Data: analytics.PackCells(group)})
			group = group[:0]
		}
	}
	for rows.Next() {
		var ag analytics.Aggregate
		var sketch []byte
		c := &ag.Counters
		if err := rows.Scan(&ag.Day, &ag.Dim, &ag.Value, &c.Pageviews, &c.Visits, &c.Bounces, &c.DurationMs, &c.Events, &sketch); err != nil {
			return nil, translate(err)
		}
		if ag.Visitors, err = analytics.SketchEstimate(sketch); err != nil {
			return nil, err
		}
		if len(group) > 0 && (group[0].Day != ag.Day || group[0].Dim != ag.Dim) {
			pack()
		}
		group = append(group, ag)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	pack()
	return out, nil
}

// Stats returns every aggregate of a site between two days, inclusive, unpacked: for
// tests and tools; reports read DayCells.
func (s AnalyticsStore) Stats(ctx context.Context, siteID int64, fromDay, toDay int64) ([]analytics.Aggregate, error) {
	days, err := s.DayCells(ctx, siteID, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	var out []analytics.Aggregate
	for _, d := range days {
		aggs, err := d.Aggregates(siteID)
		if err != nil {
			return nil, err
		}
		out = append(out, aggs...)
	}
	return out, nil
}

// AddSite inserts a site; conflict when its name or domain is taken.
func (s AnalyticsStore) AddSite(ctx context.Context, site analytics.Site, at time.Time) (analytics.Site, error) {
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		site.ID, err = InsertID(ctx, tx, query("add-site"), site.Name, site.Domain, toMillis(at))
		return err
	})
	return site, err
}

// Sites returns every site, by name.
func (s AnalyticsStore) Sites(ctx context.Context) ([]analytics.Site, error) {
	rows, err := s.DB.Query(ctx, query("sites"))
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
