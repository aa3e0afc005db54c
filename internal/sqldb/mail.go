package sqldb

import (
	"cmp"
	"context"
	"crypto/rand"
	"slices"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/mail"
)

// InsertOutbox queues one transactional message inside tx, so that the message is
// written if and only if the change that causes it is.
func InsertOutbox(ctx context.Context, tx *Tx, q mail.Queued) (int64, error) {
	var sub any
	if q.SubscriberID != 0 {
		sub = q.SubscriberID
	}
	at := q.CreatedAt.UnixMilli()
	return InsertID(ctx, tx, query("insert-outbox"),
		q.Purpose, sub, q.ToSealed, q.ToIndex, q.ContentSealed, q.MessageID, at, at)
}

// MailStore is the outbox ledger (mail_outbox) that the mail worker drives; it
// implements mail.Store. All times are passed in, so tests control the clock.
//
// Its claims name this process (mail_outbox.claimed_by): Name, if any, and a random
// incarnation drawn once per process start. A worker's heartbeat (Heartbeat) keeps
// its instance in mail_instances; Reclaim frees the claims of instances that are gone.
type MailStore struct {
	DB *DB
	// Name is the instance's stable name: at its first heartbeat, a restarted instance
	// forgets the earlier incarnations of its name, so their claims are freed at once.
	// `candor serve` on SQLite (one instance per database) names itself "serve"; on
	// PostgreSQL instances stay unnamed and a dead one's claims are freed when its
	// heartbeat goes stale. Two live processes must never share a name (they would
	// free each other's claims: duplicates, never a loss).
	Name string
	// Incarnation overrides the process's random incarnation (tests simulate a
	// restart with it); empty in production.
	Incarnation string
}

// incarnation tells this process's claims from those of earlier (or other) processes.
var incarnation = strings.ToLower(rand.Text()[:16])

// Instance is the id this store's claims carry: Name/incarnation.
func (s MailStore) Instance() string {
	if s.Incarnation != "" {
		return s.Name + "/" + s.Incarnation
	}
	return s.Name + "/" + incarnation
}

// Heartbeat implements mail.Store: this instance is alive at now; instances whose last
// heartbeat is older than stale, and earlier incarnations of Name, are forgotten (their
// claims are then freed by Reclaim).
func (s MailStore) Heartbeat(ctx context.Context, now time.Time, stale time.Duration) error {
	at := now.UnixMilli()
	return s.DB.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, query("instance-heartbeat"), s.Instance(), s.Name, at, at); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, query("forget-instances"), s.Instance(), now.Add(-stale).UnixMilli(), s.Name)
		return err
	})
}

var _ mail.Store = MailStore{}

// Claim implements mail.Store: transactional rows first, then the due rows of each
// campaign in status 'sending' (not busy), sharing what is left of n evenly, each at
// most rate_per_second × mail.ClaimWindow. On PostgreSQL the row selection uses
// FOR UPDATE SKIP LOCKED, so concurrent claimers never take the same row.
func (s MailStore) Claim(ctx context.Context, now time.Time, n int, lease time.Duration, busy []int64) ([]mail.Claimed, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []mail.Claimed
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		out = out[:0]
		rows, err := s.claimRows(ctx, tx, now, lease, "claim-transactional", nil, n, 0)
		if err != nil {
			return err
		}
		out = append(out, rows...)
		if len(out) >= n {
			return nil
		}
		type camp struct {
			id   int64
			rate int
		}
		var camps []camp
		q, err := tx.Query(ctx, query("sending-campaigns"))
		if err != nil {
			return err
		}
		for q.Next() {
			var c camp
			if err := q.Scan(&c.id, &c.rate); err != nil {
				q.Close()
				return translate(err)
			}
			if !slices.Contains(busy, c.id) {
				camps = append(camps, c)
			}
		}
		q.Close()
		if err := q.Err(); err != nil {
			return translate(err)
		}
		moved := tally{}
		for i, c := range camps {
			left := n - len(out)
			limit := (left + len(camps) - i - 1) / (len(camps) - i)
			if c.rate > 0 {
				limit = min(limit, max(1, c.rate*int(mail.ClaimWindow/time.Second)))
			}
			if limit <= 0 {
				break
			}
			rows, err := s.claimRows(ctx, tx, now, lease, "claim-campaign", c.id, limit, c.rate)
			if err != nil {
				return err
			}
			out = append(out, rows...)
			moved.move(c.id, slotQueued, slotSending, int64(len(rows)))
		}
		return moved.apply(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// claimRows claims up to limit due rows with the named claim query (and its one
// optional argument).
func (s MailStore) claimRows(ctx context.Context, tx *Tx, now time.Time, lease time.Duration, name string, arg any, limit, rate int) ([]mail.Claimed, error) {
	args := []any{now.Add(lease).UnixMilli(), s.Instance()}
	if arg != nil {
		args = append(args, arg)
	}
	args = append(args, now.UnixMilli(), limit)
	rows, err := tx.Query(ctx, tx.Dialect().query(name), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []mail.Claimed
	for rows.Next() {
		var c mail.Claimed
		var first, until int64
		if err := rows.Scan(&c.ID, &c.Purpose, &c.CampaignID, &c.SubscriberID, &c.ToSealed, &c.ContentSealed,
			&c.MessageID, &c.Attempts, &first, &until); err != nil {
			return nil, translate(err)
		}
		c.CampaignRate, c.FirstFailure, c.LeaseUntil = rate, millis(first), millis(until)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	slices.SortFunc(out, func(a, b mail.Claimed) int { return cmp.Compare(a.ID, b.ID) }) // RETURNING has no order
	return out, nil
}

// inChunks calls fn with consecutive slices of at most 500 ids, each to fill an
// "IN (?/*ids*/)" list (list).
func inChunks(ids []int64, fn func(chunk []any) error) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := make([]any, n)
		for i, id := range ids[:n] {
			chunk[i] = id
		}
		if err := fn(chunk); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// completeCampaigns marks 'sent' the sending campaigns of the given rows that have no
// queued or sending row left.
func completeCampaigns(ctx context.Context, tx *Tx, now time.Time, chunk []any) error {
	args := append([]any{now.UnixMilli()}, chunk...)
	_, err := tx.Exec(ctx, list(query("complete-campaigns"), "ids", len(chunk)), args...)
	return err
}

// MarkSent implements mail.Store. A row whose lease expired meanwhile (back to queued)
// is marked too: it was sent, and sending it again would be a duplicate.
func (s MailStore) MarkSent(ctx context.Context, now time.Time, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *Tx) error {
		moved := tally{}
		err := inChunks(ids, func(chunk []any) error {
			args := append([]any{now.UnixMilli()}, chunk...)
			n, err := moved.moveReturned(ctx, tx, slotSending, slotSent, false, list(query("mark-sent"), "ids", len(chunk)), args...)
			if err != nil {
				return err
			}
			if n < len(chunk) {
				if _, err := moved.moveReturned(ctx, tx, slotQueued, slotSent, false, list(query("mark-sent-requeued"), "ids", len(chunk)), args...); err != nil {
					return err
				}
			}
			return completeCampaigns(ctx, tx, now, chunk)
		})
		if err != nil {
			return err
		}
		return moved.apply(ctx, tx)
	})
}

// MarkRetry implements mail.Store: back to queued at r.At, attempts+1, the first
// failure's time kept (mail.DeadAfter counts from it).
func (s MailStore) MarkRetry(ctx context.Context, now time.Time, retries []mail.Retry) error {
	if len(retries) == 0 {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *Tx) error {
		moved := tally{}
		for _, r := range retries {
			if _, err := moved.moveReturned(ctx, tx, slotSending, slotQueued, false, query("mark-retry"),
				r.At.UnixMilli(), r.Error, now.UnixMilli(), r.ID, r.LeaseUntil.UnixMilli()); err != nil {
				return err
			}
		}
		return moved.apply(ctx, tx)
	})
}

// MarkFailed implements mail.Store. A hard bounce suppresses the recipient's blind
// index (the subscriber's email_index for campaign rows, to_index for transactional
// ones) and records a "bounced" event in the subscriber's history.
func (s MailStore) MarkFailed(ctx context.Context, now time.Time, failures []mail.Failure) error {
	if len(failures) == 0 {
		return nil
	}
	at := now.UnixMilli()
	return s.DB.InTx(ctx, func(tx *Tx) error {
		ids := make([]int64, 0, len(failures))
		moved := tally{}
		for _, f := range failures {
			attempt := 1
			if f.Status == mail.StatusCancelled {
				attempt = 0 // not attempted
			}
			n, err := moved.moveReturned(ctx, tx, slotSending, slotOf(f.Status), f.HardBounce && f.Status == mail.StatusFailed,
				query("mark-failed"), string(f.Status), attempt, f.Error, bit(f.HardBounce), f.ID, f.LeaseUntil.UnixMilli())
			if err != nil {
				return err
			}
			if n == 0 {
				continue // claimed again or deleted meanwhile: not ours to settle
			}
			ids = append(ids, f.ID)
			if !f.HardBounce {
				continue
			}
			if _, err := tx.Exec(ctx, query("suppress-bounced"), at, f.ID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, query("record-bounce"),
				at, f.ID); err != nil {
				return err
			}
		}
		if err := moved.apply(ctx, tx); err != nil {
			return err
		}
		return inChunks(ids, func(chunk []any) error {
			return completeCampaigns(ctx, tx, now, chunk)
		})
	})
}

// Release implements mail.Store.
func (s MailStore) Release(ctx context.Context, rows []mail.Claimed) error {
	if len(rows) == 0 {
		return nil
	}
	byLease := map[int64][]int64{}
	for _, r := range rows {
		k := r.LeaseUntil.UnixMilli()
		byLease[k] = append(byLease[k], r.ID)
	}
	return s.DB.InTx(ctx, func(tx *Tx) error {
		moved := tally{}
		for lease, ids := range byLease {
			err := inChunks(ids, func(chunk []any) error {
				_, err := moved.moveReturned(ctx, tx, slotSending, slotQueued, false,
					list(query("release-outbox"), "ids", len(chunk)), append([]any{lease}, chunk...)...)
				return err
			})
			if err != nil {
				return err
			}
		}
		return moved.apply(ctx, tx)
	})
}

// Reclaim implements mail.Store: rows whose lease expired or whose instance is gone
// (see Heartbeat) go back to queued. It also completes every sending campaign left with
// nothing to send (two workers finishing a campaign's last rows at once each still see
// the other's rows as sending; this sweep settles it).
func (s MailStore) Reclaim(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		moved := tally{}
		reclaimed, err := moved.moveReturned(ctx, tx, slotSending, slotQueued, false, query("reclaim-outbox"), now.UnixMilli())
		if err != nil {
			return err
		}
		n = int64(reclaimed)
		if err := moved.apply(ctx, tx); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, query("complete-idle-campaigns"),
			now.UnixMilli())
		return err
	})
	return int(n), err
}

// CampaignCounts returns a campaign's delivery counts, maintained as its ledger rows
// move (campaign_counts.go): one row read, whatever the campaign's size. Failed
// includes Bounced (failures that were hard bounces).
func (s MailStore) CampaignCounts(ctx context.Context, campaignID int64) (mail.Counts, error) {
	return scanCounts(s.DB.QueryRow(ctx, query("campaign-outbox-counts"), campaignID))
}

// PurgeFinished hard-deletes transactional rows (campaign_id IS NULL) that finished —
// sent, dead or cancelled — before t, and returns how many. Queued, sending and failed
// rows stay whatever their age, and campaign rows (no address, no text; the campaign's
// counts are read from them) are never touched.
func (s MailStore) PurgeFinished(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.DB.Exec(ctx, query("purge-finished"), before.UnixMilli())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}
