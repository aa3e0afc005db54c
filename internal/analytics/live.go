package analytics

import (
	"sync"
	"time"

	"github.com/axiomhq/hyperloglog"

	"github.com/candor-dev/candor/internal/staff"
)

// LiveWindow is how recent a visitor must be to count as live: seen during the current
// minute or one of the LiveWindow/time.Minute − 1 before it, so a visitor stops counting
// between four and five minutes after their last hit.
const LiveWindow = 5 * time.Minute

const liveSlots = int(LiveWindow / time.Minute)

// live counts, per site, the distinct visitors of the last few minutes in memory only:
// one HyperLogLog sketch per site and minute in a small ring, never stored. Memory is
// at most liveSlots sketches per registered site (about 16 KiB each once dense).
type live struct {
	mu    sync.Mutex
	sites map[int64]*liveRing
}

// liveRing is one site's ring: slot i holds the visitors of the minute minutes[i].
type liveRing struct {
	minutes [liveSlots]int64
	sketch  [liveSlots]*hyperloglog.Sketch
}

// minuteOf numbers t's minute since the Unix epoch.
func minuteOf(t time.Time) int64 { return t.Unix() / 60 }

// add counts visitor x (a salted key's bits) on site at time t, when t is within the
// window ending at now; older hits (a log read late) are not live.
func (l *live) add(site int64, t, now time.Time, x uint64) {
	m, cur := minuteOf(t), minuteOf(now)
	if x == 0 || m > cur || m <= cur-int64(liveSlots) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sites == nil {
		l.sites = map[int64]*liveRing{}
	}
	r := l.sites[site]
	if r == nil {
		r = &liveRing{}
		l.sites[site] = r
	}
	i := int(m % int64(liveSlots))
	if r.sketch[i] == nil || r.minutes[i] != m {
		r.minutes[i], r.sketch[i] = m, newSketch()
	}
	r.sketch[i].InsertHash(x)
}

// count estimates the distinct visitors of site within the window ending at now, and
// forgets the sites that had none.
func (l *live) count(site int64, now time.Time) int64 {
	cur := minuteOf(now)
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, r := range l.sites { // a handful of sites: drop the idle ones
		if r.idle(cur) {
			delete(l.sites, id)
		}
	}
	r := l.sites[site]
	if r == nil {
		return 0
	}
	sum := newSketch()
	for i, sk := range r.sketch {
		if sk != nil && r.minutes[i] > cur-int64(liveSlots) && r.minutes[i] <= cur {
			_ = sum.Merge(sk) // same precision: cannot fail
		}
	}
	return int64(sum.Estimate())
}

// idle reports whether no slot of r falls within the window ending at minute cur.
func (r *liveRing) idle(cur int64) bool {
	for i, sk := range r.sketch {
		if sk != nil && r.minutes[i] > cur-int64(liveSlots) {
			return false
		}
	}
	return true
}

// LiveVisitors is the number of distinct visitors of a site in the last LiveWindow, as
// counted by this process alone. Suppressed when fewer than k: then Visitors is zero.
type LiveVisitors struct {
	Visitors   int64 `json:"visitors,omitempty"`
	Suppressed bool  `json:"suppressed,omitempty"`
}

// Live reports the visitors of site in the last LiveWindow, counted in this process's
// memory (each instance of a cluster counts its own), with small-count suppression:
// fewer than k visitors is Suppressed. The actor needs staff.ViewStats.
func (a *Aggregator) Live(actor staff.Principal, siteID int64) (LiveVisitors, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return LiveVisitors{}, err
	}
	n := a.live.count(siteID, a.opts.Now())
	if n < int64(a.opts.MinCount) {
		return LiveVisitors{Suppressed: true}, nil
	}
	return LiveVisitors{Visitors: n}, nil
}
