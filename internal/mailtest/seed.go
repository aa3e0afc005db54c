package mailtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
)

// Sealer seals addresses and computes blind indexes (pii.Sealer).
type Sealer interface {
	mail.Sealer
}

// sealSubscriberEmail is the sealing context of subscribers.email_sealed
// (newsletter.SealEmail; not imported, so these helpers do not depend on the
// newsletter package).
const sealSubscriberEmail = "subscriber.email"

// Recipient is the address of the i-th seeded subscriber.
func Recipient(i int) string { return "r" + strconv.Itoa(i) + "@example.test" }

// SeedCampaign inserts n confirmed subscribers (Recipient(0) … Recipient(n-1)) on a
// new list, a campaign in status 'sending' to that list at ratePerSecond (0: no
// limit), and its n outbox rows with a single INSERT … SELECT (QueueCampaign). It
// returns the campaign id.
func SeedCampaign(ctx context.Context, db *sqldb.DB, s Sealer, n, ratePerSecond int) (int64, error) {
	now := time.Now().UnixMilli()
	var campaign int64
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		slug := "l" + strings.ToLower(rand.Text()[:8])
		list, err := sqldb.InsertID(ctx, tx, "INSERT INTO newsletter_lists (slug, name, created_at) VALUES (?, ?, ?)", slug, slug, now)
		if err != nil {
			return err
		}
		var base int
		var before int64
		if err := tx.QueryRow(ctx, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM subscribers").Scan(&base, &before); err != nil {
			return err
		}
		for start := 0; start < n; start += 400 {
			end := min(n, start+400)
			var q strings.Builder
			args := make([]any, 0, 5*(end-start))
			q.WriteString("INSERT INTO subscribers (email_index, email_sealed, status, consent_source, created_at, confirmed_at, updated_at) VALUES ")
			for i := start; i < end; i++ {
				email := Recipient(base + i)
				sealed, err := s.SealString(sealSubscriberEmail, email)
				if err != nil {
					return err
				}
				if i > start {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, 'confirmed', 'test', ?, ?, ?)")
				args = append(args, s.Index(mail.IndexEmail, email), sealed, now, now, now)
			}
			if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO subscriber_lists (subscriber_id, list_id, subscribed, updated_at)
			SELECT id, ?, 1, ? FROM subscribers WHERE id > ?`, list, now, before); err != nil {
			return err
		}
		campaign, err = sqldb.InsertID(ctx, tx, `INSERT INTO campaigns (subject, body_markdown, status, rate_per_second,
			created_at, updated_at, started_at) VALUES ('Test campaign', 'Hello', 'sending', ?, ?, ?, ?)`, ratePerSecond, now, now, now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO campaign_lists (campaign_id, list_id) VALUES (?, ?)", campaign, list); err != nil {
			return err
		}
		queued, err := QueueCampaign(ctx, tx, campaign, "candor.test", time.UnixMilli(now))
		if err != nil {
			return err
		}
		if queued != n {
			return fmt.Errorf("queued %d rows for %d subscribers", queued, n)
		}
		return nil
	})
	return campaign, err
}

// QueueCampaign writes one outbox row per confirmed, subscribed, unsuppressed
// subscriber of the campaign's lists with one INSERT … SELECT, as the newsletter's
// StartCampaign does, and returns how many.
func QueueCampaign(ctx context.Context, tx *sqldb.Tx, campaign int64, domain string, now time.Time) (int, error) {
	prefix := "<c" + strconv.FormatInt(campaign, 10) + "."
	suffix := "." + strings.ToLower(rand.Text()[:10]) + "@" + domain + ">"
	res, err := tx.Exec(ctx, `INSERT INTO mail_outbox (purpose, campaign_id, subscriber_id, message_id, status, next_attempt_at, created_at)
		SELECT 'campaign', ?, s.id, ? || CAST(s.id AS TEXT) || ?, 'queued', ?, ?
		FROM subscribers s
		WHERE s.status = 'confirmed'
		  AND EXISTS (SELECT 1 FROM subscriber_lists sl JOIN campaign_lists cl ON cl.list_id = sl.list_id
		              WHERE sl.subscriber_id = s.id AND sl.subscribed = 1 AND cl.campaign_id = ?)
		  AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_index = s.email_index)`,
		campaign, prefix, suffix, now.UnixMilli(), now.UnixMilli(), campaign)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Renderer renders campaign rows for tests and benchmarks much as the newsletter
// does: it reads the subscriber's sealed address, opens it, seals a per-recipient
// unsubscribe token and fills a fixed body (about 1.5 KB of text and 3 KB of HTML)
// with the RFC 8058 headers.
func Renderer(db *sqldb.DB, s Sealer, publicURL string) mail.Renderer {
	text := strings.Repeat("Candor 2.0 is out: faster sending, calmer admin pages, and nothing new to track.\n", 18)
	html := "<!doctype html><html><body><div style=\"max-width:600px\">" +
		strings.Repeat("<p>Candor 2.0 is out: faster sending, calmer admin pages, and nothing new to track.</p>\n", 30)
	return mail.RendererFunc(func(ctx context.Context, campaignID, subscriberID int64) (pii.Email, mail.Content, error) {
		var sealed, status string
		if err := db.QueryRow(ctx, "SELECT email_sealed, status FROM subscribers WHERE id = ?", subscriberID).Scan(&sealed, &status); err != nil {
			return pii.Email{}, mail.Content{}, err
		}
		if status != "confirmed" {
			return pii.Email{}, mail.Content{}, mail.ErrSkip
		}
		plain, err := s.OpenString(sealSubscriberEmail, sealed)
		if err != nil {
			return pii.Email{}, mail.Content{}, err
		}
		to, err := pii.NewEmail(plain)
		if err != nil {
			return pii.Email{}, mail.Content{}, err
		}
		token, err := s.SealString("newsletter.token", strconv.FormatInt(subscriberID, 10)+"."+strconv.FormatInt(campaignID, 10))
		if err != nil {
			return pii.Email{}, mail.Content{}, err
		}
		unsub := publicURL + "/unsubscribe/" + token
		return to, mail.Content{
			Subject: "Candor 2.0",
			Text:    text + "\nUnsubscribe: " + unsub + "\n",
			HTML:    html + `<p><a href="` + unsub + `">Unsubscribe</a></p></div></body></html>`,
			Headers: map[string]string{"List-Unsubscribe": "<" + unsub + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
		}, nil
	})
}
