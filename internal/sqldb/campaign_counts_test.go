package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
	"github.com/candor-dev/candor/internal/testkit/seed"
)

// countedLedger is what a campaign's ledger rows count, status by status, with
// COUNT(*): what the maintained counts must always equal.
func countedLedger(t testing.TB, db *sqldb.DB, camp int64) mail.Counts {
	t.Helper()
	var c mail.Counts
	rows, err := db.Query(context.Background(),
		"SELECT status, hard_bounce, COUNT(*) FROM mail_outbox WHERE campaign_id = ? GROUP BY status, hard_bounce", camp)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var bounce, n int
		if err := rows.Scan(&st, &bounce, &n); err != nil {
			t.Fatal(err)
		}
		p := map[string]*int{"queued": &c.Queued, "sending": &c.Sending, "sent": &c.Sent, "failed": &c.Failed, "dead": &c.Dead, "cancelled": &c.Cancelled}[st]
		*p += n
		if bounce == 1 {
			c.Bounced += n
		}
	}
	return c
}

// Promise (progress from maintained counts): a campaign's counts, kept as its ledger
// moves, always equal a COUNT(*) of the ledger — after sends, failures, retries, dead
// letters put back, crash recovery (expired leases reclaimed), releases, an erased
// recipient and cancellation.
func TestCampaignCountsFollowTheLedger(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	s := sqldb.MailStore{DB: db}
	ns := sqldb.NewsletterStore{DB: db}
	camp, err := seed.Campaign(ctx, db, testSealer(t), 30, 0)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		got, err := s.CampaignCounts(ctx, camp)
		if err != nil {
			t.Fatal(err)
		}
		if want := countedLedger(t, db, camp); got != want {
			t.Fatalf("after %s: counts %+v; the ledger counts %+v", what, got, want)
		}
		p, err := ns.CampaignProgress(ctx, camp)
		if err != nil || p.Sent != got.Sent || p.Queued != got.Queued || p.Sending != got.Sending {
			t.Fatalf("after %s: progress %+v, %v; counts %+v", what, p, err, got)
		}
	}
	step("start", nil)
	a, err := s.Claim(ctx, now, 12, time.Minute, nil)
	step("claim", err)
	if len(a) != 12 {
		t.Fatalf("claimed %d", len(a))
	}
	step("sent", s.MarkSent(ctx, now, ids(a[:4])))
	step("failures", s.MarkFailed(ctx, now, []mail.Failure{
		{ID: a[4].ID, LeaseUntil: a[4].LeaseUntil, Status: mail.StatusFailed, Error: "rcpt 550 hard_bounce", HardBounce: true},
		{ID: a[5].ID, LeaseUntil: a[5].LeaseUntil, Status: mail.StatusFailed, Error: "data 554 permanent"},
		{ID: a[6].ID, LeaseUntil: a[6].LeaseUntil, Status: mail.StatusDead, Error: "given up"},
		{ID: a[7].ID, LeaseUntil: a[7].LeaseUntil, Status: mail.StatusCancelled},
		{ID: a[8].ID, LeaseUntil: a[8].LeaseUntil.Add(time.Second), Status: mail.StatusFailed}, // not this claim's: ignored
	}))
	step("retry", s.MarkRetry(ctx, now, []mail.Retry{{ID: a[8].ID, LeaseUntil: a[8].LeaseUntil, At: now, Error: "421"}}))
	step("release", s.Release(ctx, a[9:10]))
	step("requeue dead", sqldb.OutboxAdminStore{DB: db}.RequeueDead(ctx, a[6].ID, now))
	// Crash recovery: the claim's remaining rows outlive their lease and are reclaimed;
	// one of them had been sent, and its late mark still counts it once.
	_, err = s.Reclaim(ctx, now.Add(2*time.Minute))
	step("reclaim", err)
	step("sent after reclaim", s.MarkSent(ctx, now.Add(2*time.Minute), ids(a[10:11])))
	b, err := s.Claim(ctx, now.Add(2*time.Minute), 5, time.Minute, nil)
	step("claim again", err)
	var sub int64
	if err := db.QueryRow(ctx, "SELECT subscriber_id FROM mail_outbox WHERE id = ?", b[0].ID).Scan(&sub); err != nil {
		t.Fatal(err)
	}
	step("erase a recipient", ns.Erase(ctx, sub, "erased", 0, now))
	step("delete a sent row", func() error {
		_, err := sqldb.SubjectStore{DB: db}.DeleteOutbox(ctx, ids(a[:1]))
		return err
	}())
	step("cancel", ns.MoveCampaign(ctx, camp, []newsletter.CampaignStatus{newsletter.Sending}, newsletter.Cancelled, now))
	step("settle after cancel", s.MarkSent(ctx, now.Add(2*time.Minute), ids(b[1:])))
	if c := countedLedger(t, db, camp); c.Cancelled == 0 || c.Sent == 0 || c.Bounced != 1 || c.Queued != 0 {
		t.Fatalf("the scenario did not reach every state: %+v", c)
	}
}

// BenchmarkCampaignProgress measures the progress call the campaign page polls every
// 2 s, at 20,000 and 200,000 ledger rows: it reads the maintained counts, so its cost
// does not grow with the campaign.
func BenchmarkCampaignProgress(b *testing.B) {
	for _, n := range []int{20_000, 200_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ctx := context.Background()
			db := dbtest.Open(b)
			camp, err := seed.Campaign(ctx, db, testSealer(b), n, 0)
			if err != nil {
				b.Fatal(err)
			}
			ns := sqldb.NewsletterStore{DB: db}
			b.ResetTimer()
			for b.Loop() {
				if p, err := ns.CampaignProgress(ctx, camp); err != nil || p.Queued != n {
					b.Fatalf("%+v %v", p, err)
				}
			}
		})
	}
}
