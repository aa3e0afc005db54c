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
	return s.deleteConversations(ctx, "folder IN ('new', 'open', 'waiting') AND updated_at < ?", toMillis(before))
}

// deleteConversations deletes the conversations that match where (a condition on
// contact_conversations), their messages and the outbox rows of their replies.
func (s RetentionStore) deleteConversations(ctx context.Context, where string, args ...any) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		chosen := "SELECT id FROM contact_conversations WHERE " + where
		if _, err := tx.Exec(ctx, `DELETE FROM mail_outbox WHERE campaign_id IS NULL AND message_id IN
			(SELECT message_id FROM contact_messages WHERE kind = 'out' AND message_id <> '' AND conversation_id IN (`+chosen+`))`, args...); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM contact_messages WHERE conversation_id IN ("+chosen+")", args...); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM contact_conversations WHERE "+where, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return translate(err)
	})
	return n, err
}

// PurgeCheckouts hard-deletes failed checkouts (orders never paid, given up after the
// shop's abandonment time) last changed before the cut-off. Their coupon use was
// released when they failed; they have no licence, refund or invoice number.
func (s RetentionStore) PurgeCheckouts(ctx context.Context, before time.Time) (int64, error) {
	return affected(s.DB.Exec(ctx, `DELETE FROM shop_orders WHERE status = 'failed' AND paid_at = 0
		AND invoice_no IS NULL AND updated_at < ?`, toMillis(before)))
}

// PseudonymiseOrders blanks, in orders paid before the cut-off, the buyer's sealed name
// and email, the card's brand, last 4 digits and expiry and the processor's ids, and
// replaces the email's blind index by one derived from the order's random reference,
// which no address can match. Amounts, items, country, invoice number and licences stay
// for the books.
func (s RetentionStore) PseudonymiseOrders(ctx context.Context, before time.Time) (int64, error) {
	return affected(s.DB.Exec(ctx, `UPDATE shop_orders SET email_index = 'erased:' || ref, email_sealed = '', name_sealed = '',
		method_id = '', payment_id = '', session_id = '', card_brand = '', card_last4 = '', card_exp_month = 0, card_exp_year = 0
		WHERE paid_at > 0 AND paid_at < ? AND email_sealed <> ''`, toMillis(before)))
}

// PurgePaymentEvents deletes the record of processed webhook events received before the
// cut-off (kept only so that a redelivered event changes nothing).
func (s RetentionStore) PurgePaymentEvents(ctx context.Context, before time.Time) (int64, error) {
	return affected(s.DB.Exec(ctx, "DELETE FROM shop_payment_events WHERE received_at < ?", toMillis(before)))
}

// PurgeDisabledStaff hard-deletes staff accounts disabled before the cut-off, with their
// sessions, recovery codes and statistics-mail subscriptions. Replies, notes,
// assignments, campaigns and refunds they made keep no author; the audit log keeps the
// account's id.
func (s RetentionStore) PurgeDisabledStaff(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		gone := "SELECT id FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?"
		for _, q := range []string{
			"UPDATE contact_messages SET author_id = NULL WHERE author_id IN (" + gone + ")",
			"UPDATE contact_conversations SET assignee_id = NULL WHERE assignee_id IN (" + gone + ")",
			"UPDATE campaigns SET created_by = NULL WHERE created_by IN (" + gone + ")",
			"UPDATE shop_refunds SET staff_id = NULL WHERE staff_id IN (" + gone + ")",
			"DELETE FROM staff_sessions WHERE staff_id IN (" + gone + ")",
			"DELETE FROM staff_recovery_codes WHERE staff_id IN (" + gone + ")",
			"DELETE FROM stats_report_subscriptions WHERE staff_id IN (" + gone + ")",
		} {
			if _, err := tx.Exec(ctx, q, toMillis(before)); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, "DELETE FROM staff WHERE disabled_at IS NOT NULL AND disabled_at < ?", toMillis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return translate(err)
	})
	return n, err
}

// PurgeStats deletes the statistics of days (and weeks) that start before the cut-off.
func (s RetentionStore) PurgeStats(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		for _, q := range []string{"DELETE FROM stat_cells WHERE day < ?", "DELETE FROM stats WHERE day < ?"} {
			res, err := tx.Exec(ctx, q, toMillis(before))
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
	res, err := s.DB.Exec(ctx, "DELETE FROM data_requests WHERE (done_at > 0 AND done_at < ?) OR (done_at = 0 AND received_at < ?)",
		toMillis(before), toMillis(before))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, translate(err)
}
