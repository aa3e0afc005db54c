package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
)

// NewsletterStore keeps lists, subscribers and suppressions; it implements
// newsletter.Store.
type NewsletterStore struct{ DB *DB }

var _ newsletter.Store = NewsletterStore{}

// Lists returns every list by name.
func (s NewsletterStore) Lists(ctx context.Context) ([]newsletter.List, error) {
	rows, err := s.DB.Query(ctx, query("newsletter-lists"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []newsletter.List
	for rows.Next() {
		var l newsletter.List
		if err := rows.Scan(&l.ID, &l.Slug, &l.Name, &l.Description); err != nil {
			return nil, translate(err)
		}
		out = append(out, l)
	}
	return out, translate(rows.Err())
}

func scanSubscriber(sc interface{ Scan(...any) error }) (newsletter.Record, error) {
	var r newsletter.Record
	var created, confirmed, sent, updated int64
	err := sc.Scan(&r.ID, &r.EmailIndex, &r.EmailSealed, &r.NameSealed, &r.Status, &r.ConsentSource,
		&r.ConsentTextHash, &created, &confirmed, &sent, &updated)
	r.CreatedAt, r.ConfirmedAt, r.ConfirmationSentAt, r.UpdatedAt = millis(created), millis(confirmed), millis(sent), millis(updated)
	return r, err
}

// SubscriberByIndex finds a subscriber by the blind index of their address.
func (s NewsletterStore) SubscriberByIndex(ctx context.Context, index string) (newsletter.Record, error) {
	return scanSubscriber(s.DB.QueryRow(ctx, query("subscriber-by-index"), index))
}

// SubscriberByID returns one subscriber.
func (s NewsletterStore) SubscriberByID(ctx context.Context, id int64) (newsletter.Record, error) {
	return scanSubscriber(s.DB.QueryRow(ctx, query("subscriber-by-id"), id))
}

// SaveSignup writes the subscriber and its confirmation mail in one transaction, group
// committed with concurrent sign-ups (see DB.Batch). A subscriber already confirmed in
// the database keeps their status, name and consent record (see the UPDATE).
func (s NewsletterStore) SaveSignup(ctx context.Context, r newsletter.Record, event string, confirm func(id int64) (*mail.Queued, error)) (id int64, err error) {
	err = s.DB.Batch(ctx, func(tx *Tx) error {
		id = r.ID
		if id == 0 {
			id, err = InsertID(ctx, tx, query("insert-subscriber"),
				r.EmailIndex, r.EmailSealed, r.NameSealed, r.Status, r.ConsentSource, r.ConsentTextHash,
				toMillis(r.CreatedAt), toMillis(r.ConfirmationSentAt), toMillis(r.UpdatedAt))
		} else {
			// Invariant: a subscriber confirmed in the database keeps their status, name
			// and consent record whatever r says; they change only with their own
			// confirmation (Confirm). r was read before this write, so a confirmation
			// that landed in between must not be undone by a stale pending r (someone
			// posting the public form with their address). The guard reads the row as
			// stored, in the UPDATE itself; the sign-up's times and its mail still go.
			err = Affected(tx.Exec(ctx, query("refresh-subscriber"),
				r.EmailSealed, r.NameSealed, r.Status, r.ConsentSource, r.ConsentTextHash,
				toMillis(r.ConfirmationSentAt), toMillis(r.UpdatedAt), id))
		}
		if err != nil {
			return err
		}
		if err := addEvent(ctx, tx, id, event, "", r.UpdatedAt); err != nil {
			return err
		}
		q, err := confirm(id)
		if err != nil || q == nil {
			return err
		}
		if _, err := InsertOutbox(ctx, tx, *q); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, "confirmation_sent", "", r.UpdatedAt)
	})
	return id, err
}

func addEvent(ctx context.Context, tx *Tx, id int64, event, detail string, at time.Time) error {
	_, err := tx.Exec(ctx, query("add-subscriber-event"),
		id, toMillis(at), event, detail)
	return err
}

// Confirm marks the subscriber confirmed and subscribes them to lists; a pending one
// takes signup's name and consent record when signup is not nil.
func (s NewsletterStore) Confirm(ctx context.Context, id int64, lists []int64, signup *newsletter.SignupDetails, issued, at time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		r, err := scanSubscriber(tx.QueryRow(ctx, tx.Dialect().query("lock-subscriber"), id))
		if err != nil {
			return err
		}
		if r.Status != newsletter.Confirmed {
			// The status guard repeats the check above in SQL: a confirmation never
			// rewrites the name or consent record of a subscriber already confirmed.
			q, args := query("confirm-subscriber"),
				[]any{toMillis(at), toMillis(at), id}
			if signup != nil {
				q = query("confirm-subscriber-signup")
				args = []any{toMillis(at), toMillis(at), signup.NameSealed, signup.ConsentSource, signup.ConsentTextHash, id}
			}
			if err := Affected(tx.Exec(ctx, q, args...)); err != nil {
				return err
			}
		}
		for _, l := range lists {
			if err := joinUnlessChangedSince(ctx, tx, id, l, issued, at); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, query("unsuppress-unsubscribed"), r.EmailIndex); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, "confirmed", "", at)
	})
}

// setMembership sets one list's flag; a list deleted meanwhile (after the sign-up whose
// confirmation link names it, say) is skipped, so the other lists still take effect.
func setMembership(ctx context.Context, tx *Tx, id, list int64, on bool, at time.Time) error {
	_, err := tx.Exec(ctx, query("set-membership"),
		id, bit(on), toMillis(at), list)
	return err
}

// joinUnlessChangedSince joins a list unless the membership changed after since (a
// choice made after the confirmation link was mailed wins over the link).
func joinUnlessChangedSince(ctx context.Context, tx *Tx, id, list int64, since, at time.Time) error {
	_, err := tx.Exec(ctx, query("join-unless-changed-since"), id, toMillis(at), list, toMillis(since))
	return err
}

// Erase deletes a subscriber (their events, memberships and queued mail go with them)
// and keeps only the blind index of the address in the suppression list.
func (s NewsletterStore) Erase(ctx context.Context, id int64, reason string, campaignID int64, at time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		var index string
		if err := tx.QueryRow(ctx, query("subscriber-email-index"), id).Scan(&index); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, query("suppress-erased"),
			index, reason, toMillis(at)); err != nil {
			return err
		}
		gone := tally{} // the subscriber's campaign rows go with it (ON DELETE CASCADE)
		if err := gone.dropListed(ctx, tx, tx.Dialect().query("subscriber-campaign-rows"), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, query("delete-subscriber"), id); err != nil {
			return err
		}
		if err := gone.apply(ctx, tx); err != nil {
			return err
		}
		if campaignID != 0 {
			_, err := tx.Exec(ctx, query("count-unsubscribed"), campaignID)
			return err
		}
		return nil
	})
}

// Memberships lists every list with whether the subscriber receives it.
func (s NewsletterStore) Memberships(ctx context.Context, id int64) ([]newsletter.Membership, error) {
	rows, err := s.DB.Query(ctx, query("memberships"), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []newsletter.Membership
	for rows.Next() {
		var m newsletter.Membership
		var on int
		if err := rows.Scan(&m.List.ID, &m.List.Slug, &m.List.Name, &m.List.Description, &on); err != nil {
			return nil, translate(err)
		}
		m.Subscribed = on == 1
		out = append(out, m)
	}
	return out, translate(rows.Err())
}

// SetMemberships sets the subscribed flag of each given list.
func (s NewsletterStore) SetMemberships(ctx context.Context, id int64, subscribed map[int64]bool, at time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		for list, on := range subscribed {
			if err := setMembership(ctx, tx, id, list, on, at); err != nil {
				return err
			}
		}
		return addEvent(ctx, tx, id, "lists_changed", "", at)
	})
}

// Suppression returns the reason an address (by blind index) is suppressed, "" if not.
func (s NewsletterStore) Suppression(ctx context.Context, index string) (string, error) {
	var reason string
	err := s.DB.QueryRow(ctx, query("suppression"), index).Scan(&reason)
	if errs.Is(err, errs.NotFound) {
		return "", nil
	}
	return reason, err
}

// PurgePending deletes unconfirmed sign-ups whose last confirmation mail went out before
// the cut-off (so every confirmation link outlives nothing it points to).
func (s NewsletterStore) PurgePending(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.DB.Exec(ctx, query("purge-pending"), toMillis(before))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}
