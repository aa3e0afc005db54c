package privacy

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// The retention job runs every rule even when one fails, reports counts only, names the
// failing rule, refuses an undeclared rule and compacts the database on every run.
func TestEnforceRunsEveryRule(t *testing.T) {
	compacted := 0
	compact := func(context.Context) error { compacted++; return nil }
	counts, err := Enforce(context.Background(), []Step{
		{Rule: RuleCheckout, Run: func(context.Context) (int64, error) { return 3, nil }},
		{Rule: RuleOrder, Run: func(context.Context) (int64, error) { return 0, errors.New("boom") }},
		{Rule: "no-such-rule", Run: func(context.Context) (int64, error) { t.Error("an undeclared rule ran"); return 0, nil }},
		{Rule: RuleStats, Run: func(context.Context) (int64, error) { return 0, nil }},
	}, compact)
	if len(counts) != 2 || counts[0] != (Count{RuleCheckout, 3}) || counts[1] != (Count{RuleStats, 0}) {
		t.Errorf("counts %v", counts)
	}
	if err == nil || !strings.Contains(err.Error(), "retention rule order: boom") || !strings.Contains(err.Error(), `"no-such-rule"`) {
		t.Errorf("error %v", err)
	}
	if compacted != 1 {
		t.Errorf("compacted %d times, want 1", compacted)
	}
}
