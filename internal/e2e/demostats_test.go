package e2e

import (
	"encoding/json"
	"testing"
	"time"
)

// The demo's statistics are not empty on first start (a month of sample visits goes
// through the real aggregator, so small-count suppression leaves something to see), and
// a second start does not add the sample twice.
func TestDemoSampleStatistics(t *testing.T) {
	in := newInstall(t)
	visitors := func() int {
		t.Helper()
		now := time.Now().UTC()
		out, err := in.candor("", nil, append([]string{"stats", "--site", "demo", "--json",
			"--from", now.AddDate(0, 0, -31).Format("2006-01-02"), "--to", now.Format("2006-01-02")}, in.args()...)...)
		if err != nil {
			t.Fatalf("stats: %v\n%s", err, out)
		}
		var rep struct {
			Totals struct{ Visitors int } `json:"totals"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("stats --json: %v\n%s", err, out)
		}
		return rep.Totals.Visitors
	}
	in.serve("--demo").stop()
	first := visitors()
	if first < 1000 {
		t.Fatalf("demo statistics show %d visitors; want the month of sample visits", first)
	}
	in.serve("--demo").stop()
	if again := visitors(); again != first {
		t.Fatalf("a second demo start changed the sample: %d visitors, then %d", first, again)
	}
}
