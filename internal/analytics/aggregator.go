package analytics

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/axiomhq/hyperloglog"
	"github.com/candor-dev/candor/internal/analytics/classify"
)

// Store writes aggregates. Merge adds each aggregate to the stored one of the same
// (site, day, dimension, value), counters and visitors summed (MergeCells), all in one
// transaction: either every aggregate is merged or none is.
type Store interface {
	Merge(ctx context.Context, aggs []Aggregate) error
}

// Defaults of Options.
const (
	DefaultFlushEvery  = 5 * time.Second
	DefaultMaxPending  = 200_000
	DefaultMaxVisits   = 500_000
	DefaultMaxValues   = 1000
	DefaultMinCount    = 5
	VisitIdle          = 30 * time.Minute // a visit ends after this long without a page view
	maxDimensionValue  = 512              // bytes kept of any dimension value
	flushOnStopTimeout = 30 * time.Second
)

// Options configure an Aggregator; zero fields take the defaults.
type Options struct {
	FlushEvery time.Duration      // how often Run flushes; DefaultFlushEvery
	MaxPending int                // aggregates held in memory before Record refuses; DefaultMaxPending
	MaxVisits  int                // live visits tracked before Record refuses new visitors; DefaultMaxVisits
	MaxValues  int                // distinct values per site, day and dimension; beyond, Other; DefaultMaxValues
	MinCount   int                // k of small-count suppression (used by Reports); DefaultMinCount, never below 2
	KeepParams []string           // query parameters kept in paths (classify.Path)
	SiteHost   func(int64) string // the site's own domain, so that internal referrers are recognised; optional
	Now        func() time.Time   // the clock; time.Now
	// Geo gives an address's region ("DE-BY") and city (geo.DB.Lookup); optional.
	// Without it DimRegion and DimCity are not counted at all.
	Geo func(netip.Addr) (region, city string)
}

func (o Options) withDefaults() Options {
	if o.FlushEvery <= 0 {
		o.FlushEvery = DefaultFlushEvery
	}
	if o.MaxPending <= 0 {
		o.MaxPending = DefaultMaxPending
	}
	if o.MaxVisits <= 0 {
		o.MaxVisits = DefaultMaxVisits
	}
	if o.MaxValues <= 0 {
		o.MaxValues = DefaultMaxValues
	}
	o.MinCount = minCount(o.MinCount)
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func minCount(k int) int {
	if k == 0 {
		return DefaultMinCount
	}
	return max(k, 2)
}

// Aggregator classifies hits, counts them in memory and flushes the sums to a Store.
// It is safe for concurrent use.
type Aggregator struct {
	store Store
	opts  Options

	flushMu sync.Mutex // one flush at a time

	mu      sync.Mutex
	salt    [32]byte
	saltDay int64
	mac     hash.Hash         // HMAC-SHA-256 keyed with salt, reset before each use; guarded by mu
	macBuf  [256]byte         // visitorKey's input and output buffer (guarded by mu): no allocation
	cells   map[cellKey]*cell // the cells counted under the current salt (flush.go)
	dirty   int               // cells changed since the last flush
	epoch   uint32            // numbers the salts
	visits  map[visitorKey]visit
	// fullSweep is when Record last swept because visits was full: with every visit
	// still live, each new visitor would otherwise walk the whole map under mu.
	fullSweep time.Time
	days      map[int64]*dayValues // the values counted per day (values.go)
	live      live                 // visitors of the last minutes, per site (live.go)

	accepted, refused, bots atomic.Int64

	// The classifications of recent user agents and referrers (classcache.go): memory
	// only, bounded, never stored.
	agents    *classCache[agentClass]
	referrers *classCache[classify.Source]
}

// Pending cells and value caps are keyed by a small dimension number rather than the
// dimension's name: one string less to hash and compare in every map lookup of Record.
type cellKey struct {
	site, day int64
	dim       dimID
	value     string
}

// dimID numbers the dimensions; dimNames gives their names.
type dimID uint8

const (
	dTotal dimID = iota
	dPage
	dSection
	dEntry
	dExit
	dSource
	dReferrer
	dUTMCampaign
	dCountry
	dRegion
	dCity
	dLanguage
	dBrowser
	dOS
	dDevice
	dScreen
	dEvent
	dHour
)

var dimNames = [...]string{DimTotal, DimPage, DimSection, DimEntry, DimExit, DimSource, DimReferrer, DimUTMCampaign,
	DimCountry, DimRegion, DimCity, DimLanguage, DimBrowser, DimOS, DimDevice, DimScreen, DimEvent, DimHour}

// visitDimIDs are visitDims by number, in the same order.
var visitDimIDs = [len(visitDims)]dimID{dSource, dReferrer, dUTMCampaign, dCountry, dRegion, dCity, dLanguage, dBrowser, dOS, dDevice, dScreen}

func init() {
	for i, d := range visitDimIDs {
		if dimNames[d] != visitDims[i] {
			panic("analytics: visitDimIDs out of step with visitDims")
		}
	}
}

// cell is one aggregate in memory. Record adds visitor keys to a small sketch of the
// flush interval (pend); Flush merges it into the day's sketch, which lives as long as
// the cell, across flushes, so that a visitor seen again after a flush is not counted
// again; only the estimate's growth is sent (see Aggregate.Visitors).
type cell struct {
	c     Counters            // counted since the last flush; guarded by mu
	dirty bool                // changed since the last flush; guarded by mu
	pend  *hyperloglog.Sketch // visitor keys since the last flush, nil for none; guarded by mu
	busy  bool                // the last interval counted denseFrom visitors or more: pend starts dense; guarded by mu
	epoch uint32              // the salt of the latest change: once it is gone, no key can match the sketch

	day     *hyperloglog.Sketch // every visitor key flushed; only Flush uses it (flushMu)
	written int64               // the estimate of day already sent to the store (flushMu)
}

type visitorKey [16]byte

// visit is one visitor's current visit: only what is needed to count its sums. It holds
// no pointer (values by number, see dayValues), so that a map of them is never scanned
// by the garbage collector.
type visit struct {
	day         int64
	last        int64 // Unix milliseconds of the latest page view
	pages       int32
	entry, exit valueID
	attrs       [len(visitDims)]valueID
}

// NewAggregator returns an aggregator that flushes to store; call Run to flush on a
// schedule. Its salt is new: hashes from an earlier run never match.
func NewAggregator(store Store, opts Options) *Aggregator {
	a := &Aggregator{store: store, opts: opts.withDefaults(), agents: newClassCache[agentClass](), referrers: newClassCache[classify.Source]()}
	a.cells = map[cellKey]*cell{}
	a.visits = map[visitorKey]visit{}
	a.days = map[int64]*dayValues{}
	a.rotate(DayOf(a.opts.Now()))
	return a
}

// rotate replaces the salt and forgets every visit keyed by the old one. Callers hold mu
// (or own a).
func (a *Aggregator) rotate(day int64) {
	if _, err := rand.Read(a.salt[:]); err != nil {
		panic("analytics: no randomness for the salt: " + err.Error())
	}
	a.saltDay = day
	a.epoch++ // the cells of earlier salts go at the next flush (evict)
	a.mac = hmac.New(sha256.New, a.salt[:])
	clear(a.visits)
}

// Counts reports how many hits were accepted, refused for lack of room, and dropped as bots.
func (a *Aggregator) Counts() (accepted, refused, bots int64) {
	return a.accepted.Load(), a.refused.Load(), a.bots.Load()
}

// MinCount is the k of small-count suppression this aggregator was configured with.
func (a *Aggregator) MinCount() int { return a.opts.MinCount }

// Record counts one hit. It never waits for storage: it returns false, counting the
// refusal, when memory is full (the collector answers 503), and true otherwise, bots
// included (they are only counted). The hit's IP and user agent are forgotten on return.
func (a *Aggregator) Record(h Hit) bool {
	c, ok := a.classify(h)
	if !ok {
		a.bots.Add(1)
		return true
	}
	now := a.opts.Now()
	if c.t.IsZero() {
		c.t = now
	}
	c.t = c.t.UTC()
	day := DayOf(c.t)

	a.mu.Lock()
	defer a.mu.Unlock()
	if d := DayOf(now); d != a.saltDay {
		a.rotate(d)
	}
	if len(a.cells) >= a.opts.MaxPending {
		a.refused.Add(1)
		return false
	}
	key, x := a.visitorKey(h)
	a.live.add(h.SiteID, c.t, now, x)
	if h.Kind == KindEvent {
		a.event(c, day, x)
		a.accepted.Add(1)
		return true
	}
	v, seen := a.visits[key]
	if !seen || c.t.UnixMilli()-v.last > VisitIdle.Milliseconds() || v.day != day {
		if !seen && len(a.visits) >= a.opts.MaxVisits {
			if now.Sub(a.fullSweep) >= time.Second { // a full pass at most once a second under a flood
				a.fullSweep = now
				a.sweep(now)
			}
			if len(a.visits) >= a.opts.MaxVisits {
				a.refused.Add(1)
				return false
			}
		}
		v = visit{day: day}
		for i, dim := range visitDimIDs {
			if a.counts(dim) {
				v.attrs[i], _ = a.value(h.SiteID, day, dim, c.attrs[i])
			}
		}
		a.startVisit(h.SiteID, &v, c.path, c.t, x)
	} else {
		a.continueVisit(h.SiteID, &v, c.path, c.t, x)
	}
	a.visits[key] = v
	a.accepted.Add(1)
	return true
}

// visitorKey hashes site, IP and user agent with the day's salt. Callers hold mu.
func (a *Aggregator) visitorKey(h Hit) (visitorKey, uint64) {
	m := a.mac
	m.Reset()
	b := a.macBuf[:]
	binary.BigEndian.PutUint64(b[:8], uint64(h.SiteID))
	ip := h.IP.Unmap().As16()
	copy(b[8:24], ip[:])
	n := 24
	for ua := h.UserAgent; ; { // the same bytes as before, fed through the buffer
		c := copy(b[n:], ua)
		m.Write(b[:n+c])
		ua, n = ua[c:], 0
		if ua == "" {
			break
		}
	}
	sum := m.Sum(b[:0])
	var k visitorKey
	copy(k[:], sum[:16])
	return k, binary.LittleEndian.Uint64(sum[16:24])
}

// add adds c to a cell and the visitor to its sketch. Callers hold mu.
func (a *Aggregator) add(site, day int64, dim dimID, value string, c Counters, visitor uint64) {
	k := cellKey{site, day, dim, value}
	p := a.cells[k]
	if p == nil {
		p = &cell{}
		a.cells[k] = p
	}
	p.epoch = a.epoch
	if !p.dirty {
		p.dirty = true
		a.dirty++
	}
	p.c.add(c)
	if visitor != 0 {
		if p.pend == nil {
			p.pend = newCellSketch(dim == dTotal, p.busy)
		}
		p.pend.InsertHash(visitor)
	}
}

// counts reports whether the aggregator counts a visit dimension: region and city only
// with a city database.
func (a *Aggregator) counts(dim dimID) bool {
	return a.opts.Geo != nil || (dim != dRegion && dim != dCity)
}

// startVisit counts the first page view of visit v (its day and attributes set) on
// path, as it comes from the classifier.
func (a *Aggregator) startVisit(site int64, v *visit, path string, t time.Time, x uint64) {
	id, path := a.value(site, v.day, dPage, path)
	v.last, v.pages, v.entry, v.exit = t.UnixMilli(), 1, id, id
	start := Counters{Pageviews: 1, Visits: 1, Bounces: 1}
	a.add(site, v.day, dTotal, "", start, x)
	a.add(site, v.day, dHour, hours[t.Hour()], Counters{Pageviews: 1, Visits: 1}, x)
	a.pageview(site, v.day, path, x)
	for i, dim := range visitDimIDs {
		if a.counts(dim) {
			a.add(site, v.day, dim, a.name(v.day, v.attrs[i]), start, x)
		}
	}
	a.add(site, v.day, dEntry, path, Counters{Visits: 1, Bounces: 1}, x)
	a.add(site, v.day, dExit, path, Counters{Visits: 1}, x)
}

// continueVisit counts a further page view of a visit: no longer a bounce, longer by
// the time since the last page view, and ending (for now) on this page.
func (a *Aggregator) continueVisit(site int64, v *visit, path string, t time.Time, x uint64) {
	id, path := a.value(site, v.day, dPage, path)
	more := Counters{Pageviews: 1, DurationMs: max(t.UnixMilli()-v.last, 0)}
	if v.pages == 1 {
		more.Bounces = -1
	}
	a.add(site, v.day, dTotal, "", more, x)
	a.add(site, v.day, dHour, hours[t.Hour()], Counters{Pageviews: 1}, x)
	for i, dim := range visitDimIDs {
		if a.counts(dim) {
			a.add(site, v.day, dim, a.name(v.day, v.attrs[i]), more, x)
		}
	}
	a.pageview(site, v.day, path, x)
	a.add(site, v.day, dEntry, a.name(v.day, v.entry), Counters{Bounces: more.Bounces, DurationMs: more.DurationMs}, 0)
	if v.exit != id {
		a.add(site, v.day, dExit, a.name(v.day, v.exit), Counters{Visits: -1}, 0)
		a.add(site, v.day, dExit, path, Counters{Visits: 1}, x)
	}
	v.last, v.exit = t.UnixMilli(), id
	v.pages++
}

// pageview counts one page view of path for its page and its section (path is already
// capped: a page folded into Other counts for the section Other too).
func (a *Aggregator) pageview(site, day int64, path string, x uint64) {
	a.add(site, day, dPage, path, Counters{Pageviews: 1}, x)
	section := path
	if path != Other {
		section = a.capped(site, day, dSection, SectionOf(path))
	}
	a.add(site, day, dSection, section, Counters{Pageviews: 1}, x)
}

// hours are the values of DimHour, by hour of the UTC day.
var hours = func() (h [24]string) {
	for i := range h {
		h[i] = string([]byte{'0' + byte(i/10), '0' + byte(i%10)})
	}
	return h
}()

func (a *Aggregator) event(c classified, day int64, x uint64) {
	a.add(c.site, day, dTotal, "", Counters{Events: 1}, 0)
	a.add(c.site, day, dHour, hours[c.t.Hour()], Counters{Events: 1}, 0)
	a.add(c.site, day, dEvent, a.capped(c.site, day, dEvent, c.event), Counters{Events: 1}, x)
}

// sweep forgets visits idle for longer than VisitIdle, and those of days before
// yesterday whatever their times (a log's hits may carry any time), so that dropValues
// may follow. Callers hold mu.
func (a *Aggregator) sweep(now time.Time) {
	idle, yesterday := now.UnixMilli()-VisitIdle.Milliseconds(), yesterdayOf(now)
	for k, v := range a.visits {
		if v.last < idle || v.day < yesterday {
			delete(a.visits, k)
		}
	}
}

// yesterdayOf returns the first millisecond of the UTC day before now's.
func yesterdayOf(now time.Time) int64 { return DayOf(now) - dayMs }

// Pending reports how many aggregates wait for the next flush, and how many visits are live.
func (a *Aggregator) Pending() (aggregates, visits int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.dirty, len(a.visits)
}

// Run flushes every FlushEvery until ctx ends, then flushes everything once more (with
// its own deadline) and returns that flush's error. A flush that fails is retried at the
// next tick; nothing is lost but a process killed outright loses what is pending: at
// most one flush interval.
func (a *Aggregator) Run(ctx context.Context) error {
	t := time.NewTicker(a.opts.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushOnStopTimeout)
			defer cancel()
			return a.Flush(fctx)
		case <-t.C:
			_ = a.Flush(ctx) // kept in memory and retried at the next tick
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
