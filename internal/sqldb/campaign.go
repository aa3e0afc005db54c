package sqldb

import (
	"context"
	"crypto/rand"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
)

var _ newsletter.CampaignStore = NewsletterStore{}

func scanCampaign(sc interface{ Scan(...any) error }) (newsletter.Campaign, error) {
	var c newsletter.Campaign
	var sched, created, updated, started, finished int64
	err := sc.Scan(&c.ID, &c.Subject, &c.BodyMarkdown, &c.Status, &c.RatePerSecond, &sched, &created, &updated,
		&started, &finished, &c.Recipients, &c.Unsubscribed)
	c.ScheduledAt, c.CreatedAt, c.UpdatedAt = millis(sched), millis(created), millis(updated)
	c.StartedAt, c.FinishedAt = millis(started), millis(finished)
	return c, err
}

// CreateCampaign inserts a draft with its lists.
func (s NewsletterStore) CreateCampaign(ctx context.Context, c newsletter.Campaign) (id int64, err error) {
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		id, err = InsertID(ctx, tx, query("create-campaign"), c.Subject, c.BodyMarkdown, c.Status, c.RatePerSecond, toMillis(c.CreatedAt), toMillis(c.UpdatedAt))
		if err != nil {
			return err
		}
		return setCampaignLists(ctx, tx, id, c.Lists)
	})
	return id, err
}

func setCampaignLists(ctx context.Context, tx *Tx, id int64, lists []int64) error {
	if _, err := tx.Exec(ctx, query("clear-campaign-lists"), id); err != nil {
		return err
	}
	for _, l := range lists {
		if _, err := tx.Exec(ctx, query("add-campaign-list"), id, l); err != nil {
			return err
		}
	}
	return nil
}

// UpdateCampaign rewrites a campaign that has not started.
func (s NewsletterStore) UpdateCampaign(ctx context.Context, c newsletter.Campaign) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, query("update-campaign"), c.Subject, c.BodyMarkdown, c.RatePerSecond, toMillis(c.UpdatedAt), c.ID)
		if err := campaignMoved(ctx, tx, c.ID, res, err); err != nil {
			return err
		}
		return setCampaignLists(ctx, tx, c.ID, c.Lists)
	})
}

// campaignMoved turns "no row changed" into not_found or conflict (wrong status).
func campaignMoved(ctx context.Context, q Queryer, id int64, res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var st string
	if err := q.QueryRow(ctx, query("campaign-moved"), id).Scan(&st); err != nil {
		return err
	}
	return errs.Ef(errs.Conflict, "The campaign is %s: that is not possible now.", st)
}

// Campaign returns one campaign with its lists.
func (s NewsletterStore) Campaign(ctx context.Context, id int64) (newsletter.Campaign, error) {
	c, err := scanCampaign(s.DB.QueryRow(ctx, query("campaign"), id))
	if err != nil {
		return c, err
	}
	rows, err := s.DB.Query(ctx, query("campaign-lists"), id)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var l int64
		if err := rows.Scan(&l); err != nil {
			return c, translate(err)
		}
		c.Lists = append(c.Lists, l)
	}
	return c, translate(rows.Err())
}

// Campaigns lists every campaign, newest first (without lists).
func (s NewsletterStore) Campaigns(ctx context.Context) ([]newsletter.Campaign, error) {
	rows, err := s.DB.Query(ctx, query("campaigns"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []newsletter.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, c)
	}
	return out, translate(rows.Err())
}

// StartCampaign fixes the recipients: one queued outbox row per confirmed, unsuppressed
// subscriber of the campaign's lists, written with one INSERT … SELECT in the same
// transaction as the status change. Message-IDs are unique per campaign and recipient.
func (s NewsletterStore) StartCampaign(ctx context.Context, id int64, mailDomain string, at time.Time) (n int, err error) {
	if mailDomain == "" {
		mailDomain = "candor.invalid"
	}
	nonce := strings.ToLower(rand.Text()[:10])
	err = s.DB.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, query("start-campaign"), toMillis(at), toMillis(at), id)
		if err := campaignMoved(ctx, tx, id, res, err); err != nil {
			return err
		}
		prefix := "<c" + strconv.FormatInt(id, 10) + "."
		suffix := "." + nonce + "@" + mailDomain + ">"
		res, err = tx.Exec(ctx, query("queue-campaign"),
			id, prefix, suffix, toMillis(at), toMillis(at), id)
		if err != nil {
			return err
		}
		rows, err := res.RowsAffected()
		if err != nil {
			return translate(err)
		}
		n = int(rows)
		_, err = tx.Exec(ctx, query("set-campaign-recipients"), n, n, id)
		return err
	})
	return n, err
}

// MoveCampaign changes a campaign's status if it is in one of from. Cancelling also
// cancels its queued messages.
func (s NewsletterStore) MoveCampaign(ctx context.Context, id int64, from []newsletter.CampaignStatus, to newsletter.CampaignStatus, at time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		args := []any{to, toMillis(at)}
		for _, f := range from {
			args = append(args, f)
		}
		args = append(args, id)
		q := query("move-campaign")
		if to == newsletter.Cancelled {
			q = query("cancel-campaign")
		}
		res, err := tx.Exec(ctx, list(q, "from", len(from)), args...)
		if err := campaignMoved(ctx, tx, id, res, err); err != nil {
			return err
		}
		if to != newsletter.Cancelled {
			return nil
		}
		res, err = tx.Exec(ctx, query("cancel-campaign-outbox"), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return translate(err)
		}
		moved := tally{}
		moved.move(id, slotQueued, slotCancelled, n)
		return moved.apply(ctx, tx)
	})
}

// ScheduleCampaign sets a draft (or re-sets a scheduled campaign) to start at a time.
func (s NewsletterStore) ScheduleCampaign(ctx context.Context, id int64, at time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, query("schedule-campaign"), toMillis(at), id)
		return campaignMoved(ctx, tx, id, res, err)
	})
}

// DueCampaigns lists scheduled campaigns whose time has come.
func (s NewsletterStore) DueCampaigns(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.DB.Query(ctx, query("due-campaigns"), toMillis(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		ids = append(ids, id)
	}
	return ids, translate(rows.Err())
}

// CampaignProgress returns a campaign's maintained counts by status: one row read,
// whatever the campaign's size (the campaign page polls it every 2 s).
func (s NewsletterStore) CampaignProgress(ctx context.Context, id int64) (newsletter.Progress, error) {
	c, err := scanCounts(s.DB.QueryRow(ctx, query("campaign-outbox-counts"), id))
	return progressOf(c), err
}

// progressOf is the page's view of a campaign's counts.
func progressOf(c mail.Counts) newsletter.Progress {
	return newsletter.Progress{Queued: c.Queued, Sending: c.Sending, Sent: c.Sent, Failed: c.Failed, Dead: c.Dead, Cancelled: c.Cancelled}
}
