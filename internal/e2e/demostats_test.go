package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/cli"
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

// Promise (issue 12): a restart with --demo does not re-enable a demo owner an operator
// disabled, and prints no one-time password for it.
func TestDemoRestartKeepsDisabledOwnerDisabled(t *testing.T) {
	in := newInstall(t)
	in.serve("--demo").stop()
	if out, err := in.candor("another-owner-pw-1\n", nil, append([]string{"staff", "add", "--email", "second@demo.example", "--role", "owner"}, in.args()...)...); err != nil {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	if out, err := in.candor("", nil, append([]string{"staff", "disable", "--email", cli.DemoOwnerEmail}, in.args()...)...); err != nil {
		t.Fatalf("staff disable: %v\n%s", err, out)
	}
	s := in.serve("--demo")
	s.stop()
	if demoPasswordRE.MatchString(s.stdout.String()) {
		t.Errorf("a restart printed a one-time password for the disabled demo owner:\n%s", s.stdout)
	}
	out, err := in.candor("", nil, append([]string{"staff", "list"}, in.args()...)...)
	if err != nil || !strings.Contains(out, "disabled") {
		t.Fatalf("the demo owner is no longer disabled after a restart: %v\n%s", err, out)
	}
}
