package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
)

// OutboxAdminStore is the staff view of the outbox; it implements mail.AdminStore.
type OutboxAdminStore struct{ DB *DB }

var _ mail.AdminStore = OutboxAdminStore{}

func scanOutboxMessage(sc interface{ Scan(...any) error }, extra ...any) (mail.OutboxMessage, error) {
	var m mail.OutboxMessage
	var bounce int
	var created, next, first, sent int64
	err := sc.Scan(append([]any{&m.ID, &m.Purpose, &m.CampaignID, &m.SubscriberID, &m.MessageID, &m.Status, &m.Attempts,
		&m.LastError, &bounce, &created, &next, &first, &sent}, extra...)...)
	m.HardBounce = bounce == 1
	m.CreatedAt, m.NextAttemptAt, m.FirstFailure, m.SentAt = millis(created), millis(next), millis(first), millis(sent)
	return m, err
}

// OutboxMessages lists rows newest first, without recipients or content.
func (s OutboxAdminStore) OutboxMessages(ctx context.Context, f mail.OutboxFilter) ([]mail.OutboxMessage, error) {
	var w filter
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	switch f.Kind {
	case "transactional":
		w.add("campaign_id IS NULL")
	case "campaign":
		w.add("campaign_id IS NOT NULL")
	}
	if f.BeforeID > 0 {
		w.add("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 {
		f.Limit = mail.OutboxPageSize
	}
	q, args := w.fill(query("outbox-messages"), f.Limit)
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []mail.OutboxMessage
	for rows.Next() {
		m, err := scanOutboxMessage(rows)
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, m)
	}
	return out, translate(rows.Err())
}

// OutboxStatusCounts counts rows by status.
func (s OutboxAdminStore) OutboxStatusCounts(ctx context.Context) (map[mail.Status]int, error) {
	rows, err := s.DB.Query(ctx, query("outbox-status-counts"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[mail.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, translate(err)
		}
		out[mail.Status(st)] = n
	}
	return out, translate(rows.Err())
}

// OutboxMessage returns one row with its sealed recipient and content (transactional
// rows; empty for campaign rows).
func (s OutboxAdminStore) OutboxMessage(ctx context.Context, id int64) (mail.OutboxMessage, mail.Queued, error) {
	var q mail.Queued
	m, err := scanOutboxMessage(s.DB.QueryRow(ctx, query("outbox-message"), id),
		&q.ToSealed, &q.ContentSealed)
	if err != nil {
		return m, q, err
	}
	q.Purpose, q.SubscriberID, q.MessageID, q.CreatedAt = m.Purpose, m.SubscriberID, m.MessageID, m.CreatedAt
	return m, q, nil
}

// RequeueDead puts a dead letter back in the queue, due now, attempts and failure clock
// reset. A campaign's dead letter is requeued only while the campaign sends or is paused
// (a finished campaign's rows are no longer claimed).
func (s OutboxAdminStore) RequeueDead(ctx context.Context, id int64, now time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		moved := tally{}
		n, err := moved.moveReturned(ctx, tx, slotDead, slotQueued, false, query("requeue-dead"), toMillis(now), id)
		if err != nil {
			return err
		}
		if n > 0 {
			return moved.apply(ctx, tx)
		}
		var st string
		var campaign int64
		if err := tx.QueryRow(ctx, query("outbox-row-status"), id).Scan(&st, &campaign); err != nil {
			return err
		}
		if st != "dead" {
			return errs.Ef(errs.Conflict, "This message is %s: only dead letters can be put back in the queue.", st)
		}
		return errs.E(errs.Conflict, "This message's campaign has finished or was cancelled: its dead letters can no longer be sent.")
	})
}
