package sqldb

import (
	"context"

	"github.com/candor-dev/candor/internal/analytics"
)

// StatsGoalStore keeps the goals of the visitor statistics (stats_goals); it implements
// analytics.GoalStore.
type StatsGoalStore struct{ DB *DB }

var _ analytics.GoalStore = StatsGoalStore{}

func scanStatsGoal(sc interface{ Scan(...any) error }) (analytics.Goal, error) {
	var g analytics.Goal
	var created int64
	if err := sc.Scan(&g.ID, &g.SiteID, &g.Kind, &g.Value, &created); err != nil {
		return g, translate(err) // Row.Scan: no row is not_found
	}
	g.CreatedAt = millis(created)
	return g, nil
}

// AddGoal stores a new goal; conflict when the site already has it.
func (s StatsGoalStore) AddGoal(ctx context.Context, g analytics.Goal) (analytics.Goal, error) {
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		g.ID, err = InsertID(ctx, tx, query("add-goal"),
			g.SiteID, g.Kind, g.Value, toMillis(g.CreatedAt))
		return err
	})
	return g, err
}

// Goals returns a site's goals, oldest first.
func (s StatsGoalStore) Goals(ctx context.Context, siteID int64) ([]analytics.Goal, error) {
	rows, err := s.DB.Query(ctx, query("goals"), siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []analytics.Goal
	for rows.Next() {
		g, err := scanStatsGoal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, translate(rows.Err())
}

// DeleteGoal deletes a site's goal and returns it; not_found when the site has no such goal.
func (s StatsGoalStore) DeleteGoal(ctx context.Context, siteID, id int64) (analytics.Goal, error) {
	var g analytics.Goal
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		g, err = scanStatsGoal(tx.QueryRow(ctx, query("delete-goal"), siteID, id))
		return err
	})
	return g, err
}
