package analytics

import (
	"encoding/binary"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
)

// DayCells is how storage keeps statistics: every cell of one site, UTC day and
// dimension packed in one value (Data), so that a 30-day report reads a few hundred rows
// rather than one per page and day. Data holds, in value order, each value with its
// Counters and its visitors: a plain count, the sum of the day's estimates (see
// Aggregate.Visitors); no sketch and nothing derived from a visitor key.
type DayCells struct {
	Day  int64 // Unix milliseconds of the UTC midnight that starts the (first) day
	Days int   // the days the row counts: 1, or 7 for a week's roll-up (see WeekOf)
	Dim  string
	Data []byte
}

const dayMs = 24 * 60 * 60 * 1000

// WeekOf returns the first day (a Monday, UTC) of the week that holds day, both in Unix
// milliseconds: storage keeps a roll-up of every such week beside its days.
func WeekOf(day int64) int64 {
	monday := (day/dayMs + 3) % 7 // 1 January 1970 was a Thursday
	if monday < 0 {
		monday += 7
	}
	return day - monday*dayMs
}

// cellsVersion is the first byte of DayCells.Data.
const cellsVersion = 1

// The packed form, after the version byte, is a sequence of cells sorted by value, each:
// uvarint length of the prefix shared with the previous value, uvarint length of the
// rest, the rest's bytes, then six signed varints: page views, visits, bounces,
// duration (ms), events and visitors. Sorted paths share long prefixes, so front coding
// halves the bytes of the values.

// cellWriter packs cells given in increasing value order.
type cellWriter struct {
	b    []byte
	prev string
}

func newCellWriter(sizeHint int) *cellWriter {
	w := &cellWriter{b: make([]byte, 1, sizeHint+1)}
	w.b[0] = cellsVersion
	return w
}

func (w *cellWriter) add(value string, c Counters, visitors int64) {
	shared := 0
	for shared < len(value) && shared < len(w.prev) && value[shared] == w.prev[shared] {
		shared++
	}
	w.b = binary.AppendUvarint(w.b, uint64(shared))
	w.b = binary.AppendUvarint(w.b, uint64(len(value)-shared))
	w.b = append(w.b, value[shared:]...)
	for _, n := range [...]int64{c.Pageviews, c.Visits, c.Bounces, c.DurationMs, c.Events, visitors} {
		w.b = binary.AppendVarint(w.b, n)
	}
	w.prev = value
}

// cellReader walks packed cells. The value it returns is only valid until the next call.
type cellReader struct {
	b     []byte
	value []byte
}

var errCorruptCells = errs.E(errs.Internal, "")

func newCellReader(data []byte) (*cellReader, error) {
	if len(data) == 0 {
		return &cellReader{}, nil
	}
	if data[0] != cellsVersion {
		return nil, errCorruptCells
	}
	return &cellReader{b: data[1:]}, nil
}

// next returns the next cell; ok is false at the end.
func (r *cellReader) next() (value []byte, c Counters, visitors int64, ok bool, err error) {
	if len(r.b) == 0 {
		return nil, c, 0, false, nil
	}
	shared, n := binary.Uvarint(r.b)
	if n <= 0 || shared > uint64(len(r.value)) {
		return nil, c, 0, false, errCorruptCells
	}
	r.b = r.b[n:]
	rest, n := binary.Uvarint(r.b)
	if n <= 0 || rest > uint64(len(r.b)-n) {
		return nil, c, 0, false, errCorruptCells
	}
	r.value = append(r.value[:shared], r.b[n:n+int(rest)]...)
	r.b = r.b[n+int(rest):]
	var nums [6]int64
	for i := range nums {
		v, n := binary.Varint(r.b)
		if n <= 0 {
			return nil, c, 0, false, errCorruptCells
		}
		nums[i], r.b = v, r.b[n:]
	}
	c = Counters{Pageviews: nums[0], Visits: nums[1], Bounces: nums[2], DurationMs: nums[3], Events: nums[4]}
	return r.value, c, nums[5], true, nil
}

// MergeCells adds aggregates to packed cells (Data of a DayCells; empty for none) and
// returns the new packed cells. The aggregates are of the same site, day and dimension,
// sorted by value, each value once, as Aggregator.Flush hands them to Store.Merge:
// counters and visitors are summed with the stored ones.
func MergeCells(stored []byte, aggs []Aggregate) ([]byte, error) {
	r, err := newCellReader(stored)
	if err != nil {
		return nil, err
	}
	w := newCellWriter(len(stored) + 24*len(aggs))
	value, c, v, ok, err := r.next()
	for err == nil && (ok || len(aggs) > 0) {
		var cmp int // which comes first: <0 the stored cell, >0 the aggregate, 0 both
		switch {
		case !ok:
			cmp = 1
		case len(aggs) == 0:
			cmp = -1
		default:
			cmp = strings.Compare(string(value), aggs[0].Value)
		}
		switch {
		case cmp < 0:
			w.add(string(value), c, v)
		case cmp > 0:
			w.add(aggs[0].Value, aggs[0].Counters, aggs[0].Visitors)
		default:
			c.add(aggs[0].Counters)
			w.add(aggs[0].Value, c, v+aggs[0].Visitors)
		}
		if cmp >= 0 {
			aggs = aggs[1:]
		}
		if cmp <= 0 {
			value, c, v, ok, err = r.next()
		}
	}
	if err != nil {
		return nil, err
	}
	return w.b, nil
}

// Aggregates unpacks d into one Aggregate per value, for site: for tests and tools; the
// reports read packed cells directly.
func (d DayCells) Aggregates(site int64) ([]Aggregate, error) {
	r, err := newCellReader(d.Data)
	if err != nil {
		return nil, err
	}
	var out []Aggregate
	for {
		value, c, v, ok, err := r.next()
		if err != nil || !ok {
			return out, err
		}
		out = append(out, Aggregate{SiteID: site, Day: d.Day, Dim: d.Dim, Value: string(value), Counters: c, Visitors: v})
	}
}

// PackCells packs aggregates of one day and dimension, sorted by value with each value
// once, into the Data of a DayCells.
func PackCells(aggs []Aggregate) []byte {
	w := newCellWriter(24 * len(aggs))
	for _, ag := range aggs {
		w.add(ag.Value, ag.Counters, ag.Visitors)
	}
	return w.b
}
