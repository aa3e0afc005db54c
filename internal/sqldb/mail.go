package sqldb

import (
	"context"

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
	return InsertID(ctx, tx, `INSERT INTO mail_outbox (purpose, subscriber_id, to_sealed, content_sealed,
		message_id, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`,
		q.Purpose, sub, q.ToSealed, q.ContentSealed, q.MessageID, at, at)
}
