package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/newsletter"
)

// AddIntake stores one acknowledged sign-up, sealed, before /subscribe answers; the
// commit is group committed with concurrent sign-ups (see DB.Batch).
func (s NewsletterStore) AddIntake(ctx context.Context, sealed string, at time.Time) (id int64, err error) {
	err = s.DB.Batch(ctx, func(tx *Tx) error {
		id, err = InsertID(ctx, tx, query("insert-signup-intake"), sealed, toMillis(at))
		return err
	})
	return id, err
}

// Intakes returns up to limit sign-ups stored at or before before, oldest first.
func (s NewsletterStore) Intakes(ctx context.Context, before time.Time, limit int) ([]newsletter.Intake, error) {
	rows, err := s.DB.Query(ctx, query("signup-intakes"), toMillis(before), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []newsletter.Intake
	for rows.Next() {
		var in newsletter.Intake
		var at int64
		if err := rows.Scan(&in.ID, &in.Sealed, &at); err != nil {
			return nil, translate(err)
		}
		in.CreatedAt = millis(at)
		out = append(out, in)
	}
	return out, translate(rows.Err())
}

// DeleteIntake deletes a processed sign-up; deleting one already gone is not an error
// (the after-answer job and the leftover job may both process it).
func (s NewsletterStore) DeleteIntake(ctx context.Context, id int64) error {
	_, err := s.DB.Exec(ctx, query("delete-signup-intake"), id)
	return err
}
