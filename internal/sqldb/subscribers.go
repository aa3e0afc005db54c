package sqldb

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
)

// The staff side of subscribers and campaigns: lists with filters and paging, history,
// export, import, recipient counts and aggregate campaign figures.

var (
	_ newsletter.AdminStore         = NewsletterStore{}
	_ newsletter.CampaignAdminStore = NewsletterStore{}
)

// inListBatch is how many values one IN (…) list carries.
const inListBatch = 500

// placeholders returns n comma-separated placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// subscriberWhere is the WHERE clause (and its arguments) of a staff query.
func subscriberWhere(q newsletter.SubscriberQuery) (string, []any) {
	var conds []string
	var args []any
	if q.Status != "" {
		conds, args = append(conds, "status = ?"), append(args, string(q.Status))
	}
	if q.ListID != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM subscriber_lists sl WHERE sl.subscriber_id = subscribers.id AND sl.list_id = ? AND sl.subscribed = 1)")
		args = append(args, q.ListID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

var subscriberOrder = map[newsletter.SubscriberSort]string{
	newsletter.SortCreated:   "created_at",
	newsletter.SortConfirmed: "COALESCE(confirmed_at, 0)",
	newsletter.SortStatus:    "status",
}

// SubscriberPage returns one page of subscribers and how many match.
func (s NewsletterStore) SubscriberPage(ctx context.Context, q newsletter.SubscriberQuery) ([]newsletter.Record, int, error) {
	q = q.Normalize()
	where, args := subscriberWhere(q)
	total, err := s.CountSubscribers(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	dir := " DESC"
	if q.Asc {
		dir = " ASC"
	}
	rows, err := s.DB.Query(ctx, "SELECT "+subscriberColumns+" FROM subscribers"+where+
		" ORDER BY "+subscriberOrder[q.Sort]+dir+", id"+dir+" LIMIT ? OFFSET ?", append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []newsletter.Record
	for rows.Next() {
		r, err := scanSubscriber(rows)
		if err != nil {
			return nil, 0, translate(err)
		}
		out = append(out, r)
	}
	return out, total, translate(rows.Err())
}

// CountSubscribers counts the subscribers matching q.
func (s NewsletterStore) CountSubscribers(ctx context.Context, q newsletter.SubscriberQuery) (int, error) {
	where, args := subscriberWhere(q.Normalize())
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM subscribers"+where, args...).Scan(&n)
	return n, err
}

// EachSubscriber calls fn for every subscriber matching q, in id order, reading 1,000 at
// a time (keyset paging), with the lists each receives.
func (s NewsletterStore) EachSubscriber(ctx context.Context, q newsletter.SubscriberQuery, fn func(newsletter.Record, []int64) error) error {
	where, args := subscriberWhere(q.Normalize())
	if where == "" {
		where = " WHERE id > ?"
	} else {
		where += " AND id > ?"
	}
	var after int64
	for {
		page, err := s.records(ctx, "SELECT "+subscriberColumns+" FROM subscribers"+where+" ORDER BY id LIMIT 1000", append(slices.Clone(args), after)...)
		if err != nil || len(page) == 0 {
			return err
		}
		ids := make([]int64, len(page))
		for i, r := range page {
			ids[i] = r.ID
		}
		lists, err := s.SubscribedLists(ctx, ids)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r, lists[r.ID]); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

func (s NewsletterStore) records(ctx context.Context, query string, args ...any) ([]newsletter.Record, error) {
	rows, err := s.DB.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []newsletter.Record
	for rows.Next() {
		r, err := scanSubscriber(rows)
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// SubscribedLists returns the lists each subscriber receives.
func (s NewsletterStore) SubscribedLists(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	for batch := range slices.Chunk(ids, inListBatch) {
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.DB.Query(ctx, "SELECT subscriber_id, list_id FROM subscriber_lists WHERE subscribed = 1 AND subscriber_id IN ("+
			placeholders(len(batch))+") ORDER BY subscriber_id, list_id", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var sub, list int64
			if err := rows.Scan(&sub, &list); err != nil {
				rows.Close()
				return nil, translate(err)
			}
			out[sub] = append(out[sub], list)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, translate(err)
		}
	}
	return out, nil
}

// SubscriberEvents returns a subscriber's status history, oldest first.
func (s NewsletterStore) SubscriberEvents(ctx context.Context, id int64) ([]newsletter.Event, error) {
	rows, err := s.DB.Query(ctx, "SELECT at, event, detail FROM subscriber_events WHERE subscriber_id = ? ORDER BY at, id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []newsletter.Event
	for rows.Next() {
		var e newsletter.Event
		var at int64
		if err := rows.Scan(&at, &e.Event, &e.Detail); err != nil {
			return nil, translate(err)
		}
		e.At = millis(at)
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// DeleteSubscriber deletes a subscriber (events, memberships and queued mail cascade)
// without suppressing the address.
func (s NewsletterStore) DeleteSubscriber(ctx context.Context, id int64) error {
	return Affected(s.DB.Exec(ctx, "DELETE FROM subscribers WHERE id = ?", id))
}

// KnownAddresses reports which blind indexes belong to a subscriber, and which are
// suppressed.
func (s NewsletterStore) KnownAddresses(ctx context.Context, indexes []string) (existing, suppressed map[string]bool, err error) {
	return knownAddresses(ctx, s.DB, indexes)
}

func knownAddresses(ctx context.Context, q Queryer, indexes []string) (existing, suppressed map[string]bool, err error) {
	existing, suppressed = map[string]bool{}, map[string]bool{}
	for batch := range slices.Chunk(indexes, inListBatch) {
		args := make([]any, len(batch))
		for i, x := range batch {
			args[i] = x
		}
		in := placeholders(len(batch))
		for _, part := range []struct {
			table string
			into  map[string]bool
		}{{"subscribers", existing}, {"suppressions", suppressed}} {
			rows, err := q.Query(ctx, "SELECT email_index FROM "+part.table+" WHERE email_index IN ("+in+")", args...)
			if err != nil {
				return nil, nil, err
			}
			for rows.Next() {
				var x string
				if err := rows.Scan(&x); err != nil {
					rows.Close()
					return nil, nil, translate(err)
				}
				part.into[x] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, nil, translate(err)
			}
		}
	}
	return existing, suppressed, nil
}

// ImportSubscribers adds confirmed subscribers to lists in one transaction. Suppressed
// and known addresses are looked up inside the transaction and skipped; the INSERT
// repeats both conditions, so an address suppressed or added meanwhile by another
// instance is skipped too.
func (s NewsletterStore) ImportSubscribers(ctx context.Context, recs []newsletter.ImportRecord, lists []int64, source string, at time.Time) (out newsletter.ImportOutcome, err error) {
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		out = newsletter.ImportOutcome{}
		idx := make([]string, len(recs))
		for i, r := range recs {
			idx[i] = r.EmailIndex
		}
		existing, suppressed, err := knownAddresses(ctx, tx, idx)
		if err != nil {
			return err
		}
		ms := toMillis(at)
		var rows []any
		for _, r := range recs {
			switch {
			case suppressed[r.EmailIndex]:
				out.Suppressed++
			case existing[r.EmailIndex]:
				out.Existing++
			default:
				existing[r.EmailIndex] = true // a repeat within the batch counts as known
				rows = append(rows, r.EmailIndex, r.EmailSealed, r.NameSealed)
			}
		}
		if len(rows) == 0 {
			return nil
		}
		// One statement for the batch: the rows as a VALUES table, the suppression and
		// uniqueness conditions repeated in the INSERT itself.
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(rows)/3), ", ")
		res, err := tx.Query(ctx, `WITH v (email_index, email_sealed, name_sealed) AS (VALUES `+values+`)
			INSERT INTO subscribers (email_index, email_sealed, name_sealed, status, consent_source,
				consent_text_hash, created_at, confirmed_at, confirmation_sent_at, updated_at)
			SELECT v.email_index, v.email_sealed, v.name_sealed, 'confirmed', CAST(? AS TEXT), '', CAST(? AS BIGINT), CAST(? AS BIGINT), 0, CAST(? AS BIGINT)
			FROM v WHERE NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_index = v.email_index)
			ON CONFLICT (email_index) DO NOTHING RETURNING id`, append(rows, source, ms, ms, ms)...)
		if err != nil {
			return err
		}
		var added []any
		for res.Next() {
			var id int64
			if err := res.Scan(&id); err != nil {
				res.Close()
				return translate(err)
			}
			added = append(added, id)
		}
		res.Close()
		if err := res.Err(); err != nil {
			return translate(err)
		}
		out.Added = len(added)
		out.Existing += len(rows)/3 - len(added) // added meanwhile, or suppressed meanwhile
		if len(added) == 0 {
			return nil
		}
		listArgs := make([]any, len(lists))
		for i, l := range lists {
			listArgs[i] = l
		}
		args := append(append([]any{ms}, added...), listArgs...)
		if _, err := tx.Exec(ctx, `INSERT INTO subscriber_lists (subscriber_id, list_id, subscribed, updated_at)
			SELECT s.id, l.id, 1, CAST(? AS BIGINT) FROM subscribers s, newsletter_lists l
			WHERE s.id IN (`+placeholders(len(added))+`) AND l.id IN (`+placeholders(len(lists))+`)`, args...); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO subscriber_events (subscriber_id, at, event, detail)
			SELECT id, CAST(? AS BIGINT), 'imported', '' FROM subscribers WHERE id IN (`+placeholders(len(added))+`)`, append([]any{ms}, added...)...)
		return err
	})
	return out, err
}

// CountRecipients counts who StartCampaign would queue now: the confirmed, unsuppressed
// subscribers of the campaign's lists (the same conditions).
func (s NewsletterStore) CountRecipients(ctx context.Context, id int64) (int, error) {
	if _, err := s.Campaign(ctx, id); err != nil {
		return 0, err
	}
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM subscribers s
		WHERE s.status = 'confirmed'
		AND EXISTS (SELECT 1 FROM subscriber_lists sl JOIN campaign_lists cl ON cl.list_id = sl.list_id
			WHERE sl.subscriber_id = s.id AND sl.subscribed = 1 AND cl.campaign_id = ?)
		AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_index = s.email_index)`, id).Scan(&n)
	return n, err
}

// QueueTransactional writes one transactional message to the outbox.
func (s NewsletterStore) QueueTransactional(ctx context.Context, q mail.Queued) (id int64, err error) {
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		id, err = InsertOutbox(ctx, tx, q)
		return err
	})
	return id, err
}

// CampaignCounts counts each campaign's outbox rows by status, hard bounces apart.
func (s NewsletterStore) CampaignCounts(ctx context.Context, ids []int64) (map[int64]newsletter.CampaignCounts, error) {
	out := map[int64]newsletter.CampaignCounts{}
	for batch := range slices.Chunk(ids, inListBatch) {
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.DB.Query(ctx, "SELECT campaign_id, status, hard_bounce, COUNT(*) FROM mail_outbox WHERE campaign_id IN ("+
			placeholders(len(batch))+") GROUP BY campaign_id, status, hard_bounce", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var st string
			var bounce, n int
			if err := rows.Scan(&id, &st, &bounce, &n); err != nil {
				rows.Close()
				return nil, translate(err)
			}
			c := out[id]
			switch st {
			case "queued":
				c.Queued += n
			case "sending":
				c.Sending += n
			case "sent":
				c.Sent += n
			case "failed":
				c.Failed += n
			case "dead":
				c.Dead += n
			case "cancelled":
				c.Cancelled += n
			}
			if bounce == 1 {
				c.Bounced += n
			}
			out[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, translate(err)
		}
	}
	return out, nil
}
