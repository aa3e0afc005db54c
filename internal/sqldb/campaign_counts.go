package sqldb

import (
	"context"
	"maps"
	"slices"

	"github.com/candor-dev/candor/internal/mail"
)

// The maintained counts of a campaign (campaigns.*_count), in the order of the
// bump-campaign-counts query's arguments. slotBounced is the part of slotFailed that
// were hard bounces.
const (
	slotQueued = iota
	slotSending
	slotSent
	slotFailed
	slotBounced
	slotDead
	slotCancelled
	slotCount
)

// slotOf is the count a row in status st (a hard bounce or not) belongs to.
func slotOf(st mail.Status) int {
	switch st {
	case mail.StatusQueued:
		return slotQueued
	case mail.StatusSending:
		return slotSending
	case mail.StatusSent:
		return slotSent
	case mail.StatusFailed:
		return slotFailed
	case mail.StatusDead:
		return slotDead
	}
	return slotCancelled
}

// tally collects how outbox rows moved in one transaction, per campaign, so that the
// campaigns' counts move with them in that same transaction: one UPDATE per campaign
// (apply), however many rows moved. Transactional rows (campaign 0) are not counted.
type tally map[int64]*[slotCount]int64

// move counts n rows of a campaign moving from one count to another.
func (t tally) move(campaign int64, from, to int, n int64) {
	if campaign == 0 || n == 0 || from == to {
		return
	}
	d := t[campaign]
	if d == nil {
		d = new([slotCount]int64)
		t[campaign] = d
	}
	d[from] -= n
	d[to] += n
}

// drop counts a campaign row in status st (bounce: a hard bounce) leaving the ledger.
func (t tally) drop(campaign int64, st mail.Status, bounce bool) {
	if campaign == 0 {
		return
	}
	d := t[campaign]
	if d == nil {
		d = new([slotCount]int64)
		t[campaign] = d
	}
	d[slotOf(st)]--
	if bounce && st == mail.StatusFailed {
		d[slotBounced]--
	}
}

// moveReturned runs stmt, a statement RETURNING each changed row's campaign (0 for
// transactional rows), counts each row as moved from one count to another (and, when
// bounce, as a hard bounce too) and returns how many rows changed.
func (t tally) moveReturned(ctx context.Context, tx *Tx, from, to int, bounce bool, stmt string, args ...any) (int, error) {
	rows, err := tx.Query(ctx, stmt, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var campaign int64
		if err := rows.Scan(&campaign); err != nil {
			return n, translate(err)
		}
		n++
		t.move(campaign, from, to, 1)
		if bounce && campaign != 0 {
			t[campaign][slotBounced]++
		}
	}
	return n, translate(rows.Err())
}

// dropListed counts as leaving the ledger the campaign rows a query lists (campaign,
// status, hard_bounce), read and locked just before they are deleted.
func (t tally) dropListed(ctx context.Context, tx *Tx, stmt string, args ...any) error {
	rows, err := tx.Query(ctx, stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var campaign int64
		var st string
		var bounce int
		if err := rows.Scan(&campaign, &st, &bounce); err != nil {
			return translate(err)
		}
		t.drop(campaign, mail.Status(st), bounce == 1)
	}
	return translate(rows.Err())
}

// apply moves the campaigns' counts, in campaign order (so that concurrent
// transactions on PostgreSQL lock the campaign rows in one order), and empties t.
func (t tally) apply(ctx context.Context, tx *Tx) error {
	for _, id := range slices.Sorted(maps.Keys(t)) {
		d := t[id]
		delete(t, id)
		if *d == ([slotCount]int64{}) {
			continue
		}
		args := make([]any, 0, slotCount+1)
		for _, v := range d {
			args = append(args, v)
		}
		if _, err := tx.Exec(ctx, query("bump-campaign-counts"), append(args, id)...); err != nil {
			return err
		}
	}
	return nil
}

// scanCounts reads a campaign's maintained counts in slot order.
func scanCounts(sc interface{ Scan(...any) error }, lead ...any) (mail.Counts, error) {
	var c mail.Counts
	err := sc.Scan(append(lead, &c.Queued, &c.Sending, &c.Sent, &c.Failed, &c.Bounced, &c.Dead, &c.Cancelled)...)
	return c, translate(err)
}
