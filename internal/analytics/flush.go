package analytics

import (
	"context"
	"slices"
	"sort"

	"github.com/axiomhq/hyperloglog"
)

// sentCell is a cell as one flush sent it, to settle the cell once the store answers.
type sentCell struct {
	cell     *cell
	c        Counters
	estimate int64 // the day's visitors
	busy     bool  // the interval's visitors reached denseFrom
}

// settle merges the interval's visitor keys into the cell's day sketch and notes the
// estimates. It runs outside mu: only Flush touches the day sketch.
func (s *sentCell) settle(pend *hyperloglog.Sketch) {
	p := s.cell
	if pend != nil {
		s.busy = estimateSketch(pend) >= denseFrom
		if p.day == nil {
			p.day = pend
		} else {
			_ = p.day.Merge(pend) // one precision per cell: cannot fail
		}
	}
	s.estimate = estimateSketch(p.day)
}

// Flush writes every changed aggregate to the store in one transaction: its counters
// since the last flush and what its visitor estimate grew by. When the store fails, the
// counters go back to memory for the next flush, and the error is returned. Cells are
// kept after a flush while their salt lives (their sketches remember who was counted);
// see evict for when they go.
func (a *Aggregator) Flush(ctx context.Context) error {
	a.flushMu.Lock()
	defer a.flushMu.Unlock()
	now := a.opts.Now()
	a.mu.Lock()
	a.sweep(now)
	a.dropValues(yesterdayOf(now))
	aggs := make([]Aggregate, 0, a.dirty)
	sent := make([]sentCell, 0, a.dirty)
	pend := make([]*hyperloglog.Sketch, 0, a.dirty)
	for k, p := range a.cells {
		if !p.dirty {
			continue
		}
		aggs = append(aggs, Aggregate{SiteID: k.site, Day: k.day, Dim: dimNames[k.dim], Value: k.value, Counters: p.c})
		sent = append(sent, sentCell{cell: p, c: p.c})
		pend = append(pend, p.pend)
		p.c, p.dirty, p.pend = Counters{}, false, nil
	}
	a.dirty = 0
	a.mu.Unlock()
	for i := range sent { // Record goes on meanwhile
		sent[i].settle(pend[i])
		aggs[i].Visitors = sent[i].estimate - sent[i].cell.written
	}
	var err error
	if len(aggs) > 0 {
		// One order for every writer, so that concurrent instances lock rows in the same order.
		sort.Slice(aggs, func(i, j int) bool { return aggs[i].less(aggs[j]) })
		err = a.store.Merge(ctx, aggs)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range sent {
		s.cell.busy = s.busy
		if err == nil {
			s.cell.written = s.estimate
			continue
		}
		s.cell.c.add(s.c) // sent again next time; the day sketch keeps the keys, written the old estimate
		if !s.cell.dirty {
			s.cell.dirty = true
			a.dirty++
		}
	}
	if err == nil {
		a.evict()
	}
	return err
}

// evict forgets cells that were written and have not changed since (callers hold mu):
// every such cell of an earlier salt, as no new visitor key can match its sketch; and,
// while more than half of MaxPending cells remain, such cells of the oldest days first
// (a backlog of old days read from an access log). A visitor seen again in an evicted
// cell of the current salt counts again: the price of bounded memory, an over-count, never
// a loss.
func (a *Aggregator) evict() {
	for k, p := range a.cells {
		if !p.dirty && p.epoch != a.epoch {
			delete(a.cells, k)
		}
	}
	room := a.opts.MaxPending / 2
	if len(a.cells) <= room {
		return
	}
	var days []int64
	for k, p := range a.cells {
		if !p.dirty {
			days = append(days, k.day)
		}
	}
	slices.Sort(days)
	days = slices.Compact(days)
	for _, day := range days {
		for k, p := range a.cells {
			if k.day == day && !p.dirty {
				delete(a.cells, k)
			}
		}
		if len(a.cells) <= room {
			return
		}
	}
}

func (x Aggregate) less(y Aggregate) bool {
	if x.SiteID != y.SiteID {
		return x.SiteID < y.SiteID
	}
	if x.Day != y.Day {
		return x.Day < y.Day
	}
	if x.Dim != y.Dim {
		return x.Dim < y.Dim
	}
	return x.Value < y.Value
}
