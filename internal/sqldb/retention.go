package sqldb

import (
	"context"
	"time"
)

// RetentionStore holds the queries of the retention rules that no domain store has
// (docs/privacy.md lists every rule). Each deletes or blanks what is past its cut-off
// and returns how many records it touched.
type RetentionStore struct {
	DB *DB
}

// PurgeIdleConversations hard-deletes new, open and waiting conversations with no
// activity since before, with their messages and the outbox copies of their replies.
func (s RetentionStore) PurgeIdleConversations(ctx context.Context, before time.Time) (int64, error) {
	return s.inOrder(ctx, before, "purge-idle-conversation-outbox", "purge-idle-conversation-messages", "purge-idle-conversations")
}

// inOrder runs the named statements, each with the cut-off as its one argument, in one
// transaction, and returns how many rows the last one touched.
func (s RetentionStore) inOrder(ctx context.Context, before time.Time, names ...string) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		for _, name := range names {
			res, err := tx.Exec(ctx, query(name), toMillis(before))
			if err != nil {
				return err
			}
			if n, err = res.RowsAffected(); err != nil {
				return translate(err)
			}
		}
		return nil
	})
	return n, err
}

// PurgeCheckouts hard-deletes failed checkouts (orders never paid, given up after the
// shop's abandonment time) last changed before the cut-off. Their coupon use was
// released when they failed; they have no licence, refund or invoice number.
func (s RetentionStore) PurgeCheckouts(ctx context.Context, before time.Time) (int64, error) {
	return affected(s.DB.Exec(ctx, query("purge-checkouts"), toMillis(before)))
}

// PseudonymiseOrders blanks, in orders paid before the cut-off, the buyer's sealed name
// and email, the card's brand, last 4 digits and expiry and the processor's ids, and
// replaces the email's blind index by one derived from the order's random reference,
// which no address can match. Amounts, items, country, invoice number and licences stay
// for the books.
func (s RetentionStore) PseudonymiseOrders(ctx context.Context, before time.Time) (int64, error) {
	return affected(s.DB.Exec(ctx, query("pseudonymise-orders"), toMillis(before)))
}

// PurgePaymentEvents deletes the record of processed webhook events received before the
// cut-off (kept only so that a redelivered event changes nothing).
func (s RetentionStore) PurgePaymentEvents(ctx context.Context, before time.Time) (int64, error) {
	return affected(s.DB.Exec(ctx, query("purge-payment-events"), toMillis(before)))
}

// PurgeDisabledStaff hard-deletes staff accounts disabled before the cut-off, with their
// sessions, recovery codes and statistics-mail subscriptions. Replies, notes,
// assignments, campaigns and refunds they made keep no author; the audit log keeps the
// account's id.
func (s RetentionStore) PurgeDisabledStaff(ctx context.Context, before time.Time) (int64, error) {
	return s.inOrder(ctx, before, "gone-staff-messages", "gone-staff-assignments", "gone-staff-campaigns",
		"gone-staff-refunds", "gone-staff-sessions", "gone-staff-recovery-codes", "gone-staff-report-subscriptions",
		"purge-disabled-staff")
}

// PurgeStats deletes the statistics of days (and weeks) that start before the cut-off.
func (s RetentionStore) PurgeStats(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		for _, name := range []string{"purge-stat-cells", "purge-stats"} {
			res, err := tx.Exec(ctx, query(name), toMillis(before))
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return translate(err)
			}
			n += k
		}
		return nil
	})
	return n, err
}

func affected(res interface{ RowsAffected() (int64, error) }, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}

// PurgeDataRequests deletes the records of data requests answered before the cut-off,
// and of unanswered ones received before it.
func (s RetentionStore) PurgeDataRequests(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.DB.Exec(ctx, query("purge-data-requests"), toMillis(before), toMillis(before))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}
