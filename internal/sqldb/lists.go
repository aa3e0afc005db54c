package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/newsletter"
)

// Mailing lists as staff manage them: create, rename, delete, and how many confirmed
// subscribers each has.

var _ newsletter.ListStore = NewsletterStore{}

// CreateList inserts a list; a taken slug is a conflict (the UNIQUE constraint decides,
// so two instances creating the same slug at once cannot both succeed).
func (s NewsletterStore) CreateList(ctx context.Context, l newsletter.List, at time.Time) (id int64, err error) {
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		id, err = InsertID(ctx, tx, query("create-list"),
			l.Slug, l.Name, l.Description, toMillis(at))
		return err
	})
	return id, err
}

// UpdateList changes a list's name and description; the slug never changes.
func (s NewsletterStore) UpdateList(ctx context.Context, l newsletter.List) error {
	return Affected(s.DB.Exec(ctx, query("update-list"), l.Name, l.Description, l.ID))
}

// DeleteList deletes a list unless a campaign in one of the busy statuses targets it.
// The list's row is locked first (PostgreSQL; SQLite's writer holds the database lock),
// so a campaign cannot take the list as a target between the check and the delete: its
// insert waits for the lock and then fails on the foreign key.
func (s NewsletterStore) DeleteList(ctx context.Context, id int64, busy []newsletter.CampaignStatus) (blocking []newsletter.Campaign, err error) {
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		blocking = nil
		var locked int64
		if err := tx.QueryRow(ctx, tx.Dialect().query("lock-list"), id).Scan(&locked); err != nil {
			return err
		}
		if len(busy) > 0 {
			args := []any{id}
			for _, st := range busy {
				args = append(args, string(st))
			}
			rows, err := tx.Query(ctx, list(query("campaigns-targeting-list"), "statuses", len(busy)), args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var c newsletter.Campaign
				if err := rows.Scan(&c.ID, &c.Subject, &c.Status); err != nil {
					rows.Close()
					return translate(err)
				}
				blocking = append(blocking, c)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return translate(err)
			}
			if len(blocking) > 0 {
				return nil // nothing changed: the commit is a no-op
			}
		}
		return Affected(tx.Exec(ctx, query("delete-list"), id))
	})
	return blocking, err
}

// ConfirmedPerList counts, per list, the confirmed subscribers who receive it (the
// numbers the subscriber list shows when filtered by list and status).
func (s NewsletterStore) ConfirmedPerList(ctx context.Context) (map[int64]int, error) {
	rows, err := s.DB.Query(ctx, query("confirmed-per-list"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, translate(err)
		}
		out[id] = n
	}
	return out, translate(rows.Err())
}
