package seed

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
)

// Sealer seals addresses and computes blind indexes (pii.Sealer).
type Sealer interface {
	mail.Sealer
}

// Recipient is the address of the i-th seeded subscriber.
func Recipient(i int) string { return "r" + strconv.Itoa(i) + "@example.test" }

// Campaign seeds a campaign through the newsletter store, as an administrator would
// make one: a new list, n confirmed subscribers imported into it (Recipient(k) …
// Recipient(k+n-1), k the number of subscribers before), and a campaign to that list
// at ratePerSecond (0: no limit), started at once, so that its n outbox rows are
// queued by the store's own StartCampaign. It returns the campaign id.
func Campaign(ctx context.Context, db *sqldb.DB, s Sealer, n, ratePerSecond int) (int64, error) {
	store := sqldb.NewsletterStore{DB: db}
	now := time.UnixMilli(time.Now().UnixMilli())
	slug := "l" + strings.ToLower(rand.Text()[:8])
	list, err := store.CreateList(ctx, newsletter.List{Slug: slug, Name: slug}, now)
	if err != nil {
		return 0, err
	}
	base, err := store.CountSubscribers(ctx, newsletter.SubscriberQuery{})
	if err != nil {
		return 0, err
	}
	for start := 0; start < n; start += importBatch {
		end := min(n, start+importBatch)
		recs := make([]newsletter.ImportRecord, 0, end-start)
		for i := start; i < end; i++ {
			email := Recipient(base + i)
			sealed, err := s.SealString(newsletter.SealEmail, email)
			if err != nil {
				return 0, err
			}
			recs = append(recs, newsletter.ImportRecord{EmailIndex: s.Index(mail.IndexEmail, email), EmailSealed: sealed})
		}
		out, err := store.ImportSubscribers(ctx, recs, []int64{list}, "test", now)
		if err != nil {
			return 0, err
		}
		if out.Added != len(recs) {
			return 0, fmt.Errorf("imported %d of %d subscribers (%d known, %d suppressed)", out.Added, len(recs), out.Existing, out.Suppressed)
		}
	}
	campaign, err := store.CreateCampaign(ctx, newsletter.Campaign{Subject: "Test campaign", BodyMarkdown: "Hello",
		Status: newsletter.Draft, RatePerSecond: ratePerSecond, CreatedAt: now, UpdatedAt: now, Lists: []int64{list}})
	if err != nil {
		return 0, err
	}
	queued, err := store.StartCampaign(ctx, campaign, "candor.test", now)
	if err != nil {
		return 0, err
	}
	if queued != n {
		return 0, fmt.Errorf("queued %d rows for %d subscribers", queued, n)
	}
	return campaign, nil
}

// importBatch is how many subscribers one ImportSubscribers call adds: three
// parameters each, well under PostgreSQL's 65,535.
const importBatch = 400

// Renderer renders campaign rows for tests and benchmarks much as the newsletter
// does: it reads the subscriber's sealed address, opens it, seals a per-recipient
// unsubscribe token and fills a fixed body (about 1.5 KB of text and 3 KB of HTML)
// with the RFC 8058 headers.
func Renderer(db *sqldb.DB, s Sealer, publicURL string) mail.Renderer {
	text := strings.Repeat("Candor 2.0 is out: faster sending, calmer admin pages, and nothing new to track.\n", 18)
	html := "<!doctype html><html><body><div style=\"max-width:600px\">" +
		strings.Repeat("<p>Candor 2.0 is out: faster sending, calmer admin pages, and nothing new to track.</p>\n", 30)
	store := sqldb.NewsletterStore{DB: db}
	return mail.RendererFunc(func(ctx context.Context, campaignID, subscriberID int64) (pii.Email, mail.Content, error) {
		rec, err := store.SubscriberByID(ctx, subscriberID)
		if err != nil {
			return pii.Email{}, mail.Content{}, err
		}
		if rec.Status != newsletter.Confirmed {
			return pii.Email{}, mail.Content{}, mail.ErrSkip
		}
		plain, err := s.OpenString(newsletter.SealEmail, rec.EmailSealed)
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
