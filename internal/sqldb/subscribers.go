package sqldb

import (
	"context"
	"slices"
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

// subscriberWhere is the filter of a staff query.
func subscriberWhere(q newsletter.SubscriberQuery) filter {
	var w filter
	if q.Status != "" {
		w.add("status = ?", string(q.Status))
	}
	if q.ListID != 0 {
		w.add("EXISTS (SELECT 1 FROM subscriber_lists sl WHERE sl.subscriber_id = subscribers.id AND sl.list_id = ? AND sl.subscribed = 1)", q.ListID)
	}
	return w
}

var subscriberOrder = map[newsletter.SubscriberSort]string{
	newsletter.SortCreated:   "created_at",
	newsletter.SortConfirmed: "COALESCE(confirmed_at, 0)",
	newsletter.SortStatus:    "status",
}

// SubscriberPage returns one page of subscribers and how many match.
func (s NewsletterStore) SubscriberPage(ctx context.Context, q newsletter.SubscriberQuery) ([]newsletter.Record, int, error) {
	q = q.Normalize()
	w := subscriberWhere(q)
	total, err := s.CountSubscribers(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	page, args := w.fill(query("subscriber-page"), q.Limit, q.Offset)
	rows, err := s.DB.Query(ctx, orderBy(page, sortTerms(subscriberOrder, q.Sort, newsletter.SortCreated, q.Asc)), args...)
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
	w := subscriberWhere(q.Normalize())
	count, args := w.fill(query("count-subscribers"))
	var n int
	err := s.DB.QueryRow(ctx, count, args...).Scan(&n)
	return n, err
}

// EachSubscriber calls fn for every subscriber matching q, in id order, reading 1,000 at
// a time (keyset paging), with the lists each receives.
func (s NewsletterStore) EachSubscriber(ctx context.Context, q newsletter.SubscriberQuery, fn func(newsletter.Record, []int64) error) error {
	w := subscriberWhere(q.Normalize())
	w.add("id > ?", int64(0))
	each, args := w.fill(query("each-subscriber"))
	var after int64
	for {
		args[len(args)-1] = after
		page, err := s.records(ctx, each, args...)
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
		rows, err := s.DB.Query(ctx, list(query("subscribed-lists"), "ids", len(batch)), args...)
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
	rows, err := s.DB.Query(ctx, query("subscriber-events"), id)
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
	return Affected(s.DB.Exec(ctx, query("delete-subscriber"), id))
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
		for _, part := range []struct {
			query string
			into  map[string]bool
		}{{"known-subscribers", existing}, {"known-suppressions", suppressed}} {
			rows, err := q.Query(ctx, list(query(part.query), "indexes", len(batch)), args...)
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
		// One statement for the batch (see queries/subscribers.sql).
		res, err := tx.Query(ctx, list(query("import-subscribers"), "rows", len(rows)/3), append(rows, source, ms, ms, ms)...)
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
		if _, err := tx.Exec(ctx, list(list(query("import-memberships"), "ids", len(added)), "lists", len(lists)), args...); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, list(query("import-events"), "ids", len(added)), append([]any{ms}, added...)...)
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
	err := s.DB.QueryRow(ctx, query("count-recipients"), id).Scan(&n)
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

// CampaignCounts returns each campaign's maintained delivery counts (campaign_counts.go),
// hard bounces apart.
func (s NewsletterStore) CampaignCounts(ctx context.Context, ids []int64) (map[int64]newsletter.CampaignCounts, error) {
	out := map[int64]newsletter.CampaignCounts{}
	for batch := range slices.Chunk(ids, inListBatch) {
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.DB.Query(ctx, list(query("outbox-counts"), "ids", len(batch)), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			c, err := scanCounts(rows, &id)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if c.Total() > 0 { // a campaign with no ledger row (a draft) has no counts
				out[id] = newsletter.CampaignCounts{Progress: progressOf(c), Bounced: c.Bounced}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, translate(err)
		}
	}
	return out, nil
}
