package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/privacy"
)

// CreateRequest records a data request and returns its id.
func (s SubjectStore) CreateRequest(ctx context.Context, r privacy.Request) (int64, error) {
	var id int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		id, err = InsertID(ctx, tx, query("create-data-request"), string(r.Kind), string(r.Channel), r.EmailIndex, r.EmailSealed,
			toMillis(r.ReceivedAt), toMillis(r.DeadlineAt), r.Actor)
		return err
	})
	return id, err
}

// FinishRequest marks a request answered at at with what it found or erased.
func (s SubjectStore) FinishRequest(ctx context.Context, id int64, counts string, at time.Time) error {
	return Affected(s.DB.Exec(ctx, query("finish-data-request"), toMillis(at), counts, id))
}

// Requests lists data requests newest first; open only lists those not answered yet.
func (s SubjectStore) Requests(ctx context.Context, open bool, limit int) ([]privacy.Request, error) {
	var w filter
	if open {
		w.add("done_at = 0")
	}
	q, args := w.fill(query("data-requests"), limit)
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []privacy.Request
	for rows.Next() {
		var r privacy.Request
		var received, deadline, done int64
		if err := rows.Scan(&r.ID, &r.Kind, &r.Channel, &r.EmailIndex, &r.EmailSealed, &received, &deadline, &done, &r.Actor, &r.Counts); err != nil {
			return nil, translate(err)
		}
		r.ReceivedAt, r.DeadlineAt, r.DoneAt = millis(received), millis(deadline), millis(done)
		out = append(out, r)
	}
	return out, translate(rows.Err())
}
