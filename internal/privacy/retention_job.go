package privacy

import (
	"context"
	"errors"
	"fmt"
)

// Step enforces one retention rule: Run deletes or blanks what is past the rule's
// period and says how many records it touched.
type Step struct {
	Rule string
	Run  func(ctx context.Context) (int64, error)
}

// Count is how many records one rule touched in a run.
type Count struct {
	Rule string
	N    int64
}

// Enforce runs every step, even after one fails, and then compact
// (sqldb.(*DB).Compact: erased rows leave the database file and its write-ahead log).
// It compacts on every run, not only when a step erased something, so that what staff
// deleted by hand since the last run (a subscriber, a conversation) leaves the files
// within one period of the job too. It returns the count of each step that ran without error and every
// error, each naming its rule. Counts are all it reports: never what was erased.
func Enforce(ctx context.Context, steps []Step, compact func(context.Context) error) ([]Count, error) {
	var counts []Count
	var errList []error
	for _, s := range steps {
		if _, ok := RuleNamed(s.Rule); !ok {
			errList = append(errList, fmt.Errorf("retention: unknown rule %q", s.Rule))
			continue
		}
		n, err := s.Run(ctx)
		if err != nil {
			errList = append(errList, fmt.Errorf("retention rule %s: %w", s.Rule, err))
			continue
		}
		counts = append(counts, Count{s.Rule, n})
	}
	if compact != nil {
		if err := compact(ctx); err != nil {
			errList = append(errList, fmt.Errorf("retention: compacting the database: %w", err))
		}
	}
	return counts, errors.Join(errList...)
}
