package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/mail"
)

// Queue puts one message into the mail outbox (a /my-data link).
func (s SubjectStore) Queue(ctx context.Context, q mail.Queued) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		_, err := InsertOutbox(ctx, tx, q)
		return err
	})
}

// LastErasure returns when the latest erasure request for an address (by its
// data_request.email index) was received; zero when there was none.
func (s SubjectStore) LastErasure(ctx context.Context, emailIndex string) (time.Time, error) {
	var at int64
	err := s.DB.QueryRow(ctx, query("data-request-last-erasure"), emailIndex).Scan(&at)
	if err != nil {
		return time.Time{}, translate(err)
	}
	return millis(at), nil
}
