package sqldb_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
	"github.com/candor-dev/candor/internal/testkit/seed"
)

// These tests pin the outbox ledger (MailStore, mail.Store) on both dialects.

func testSealer(t testing.TB) *pii.Sealer {
	t.Helper()
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	return pii.NewSealer(kr)
}

// queueTransactional inserts n transactional rows due at t0.
func queueTransactional(t testing.TB, db *sqldb.DB, n int, at time.Time) []int64 {
	t.Helper()
	var ids []int64
	err := db.InTx(context.Background(), func(tx *sqldb.Tx) error {
		for i := range n {
			id, err := sqldb.InsertOutbox(context.Background(), tx, mail.Queued{
				Purpose: "test", ToSealed: "sealed-to", ToIndex: fmt.Sprintf("to-index-%d", i),
				ContentSealed: "sealed-content", MessageID: mail.NewMessageID("candor.test"), CreatedAt: at,
			})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func setCampaignStatus(t testing.TB, db *sqldb.DB, id int64, status string) {
	t.Helper()
	if _, err := db.Exec(context.Background(), "UPDATE campaigns SET status = ? WHERE id = ?", status, id); err != nil {
		t.Fatal(err)
	}
}

func campaignStatus(t testing.TB, db *sqldb.DB, id int64) (string, bool) {
	t.Helper()
	var st string
	var finished int64
	if err := db.QueryRow(context.Background(), "SELECT status, COALESCE(finished_at, 0) FROM campaigns WHERE id = ?", id).Scan(&st, &finished); err != nil {
		t.Fatal(err)
	}
	return st, finished != 0
}

func ids(cs []mail.Claimed) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// Promise: a claim takes transactional mail first, then only campaigns that are
// sending (pause and cancel stop a campaign), at most rate × ClaimWindow rows of a
// throttled campaign; and each claimed row is 'sending' under the lease.
func TestMailClaimOrderAndCampaignStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	s := sqldb.MailStore{DB: db}
	camp, err := seed.Campaign(ctx, db, testSealer(t), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The campaign's rows are due from the moment they were seeded (the real clock), so
	// the claims happen a second later: claiming at a time taken before seeding made the
	// test fail whenever the clock ticked a millisecond in between.
	now := time.Now().UTC().Truncate(time.Millisecond).Add(time.Second)
	tx := queueTransactional(t, db, 3, now.Add(-time.Second))

	setCampaignStatus(t, db, camp, "paused")
	got, err := s.Claim(ctx, now, 100, time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids(got)) != fmt.Sprint(tx) {
		t.Fatalf("claim with the campaign paused = %v; want only the transactional rows %v", ids(got), tx)
	}
	for _, c := range got {
		if c.CampaignID != 0 || c.ToSealed != "sealed-to" || c.ContentSealed != "sealed-content" || !c.LeaseUntil.Equal(now.Add(time.Minute)) {
			t.Fatalf("claimed row %+v", c)
		}
	}
	if got, _ := s.Claim(ctx, now, 100, time.Minute, nil); len(got) != 0 {
		t.Fatalf("claimed rows twice: %v", ids(got))
	}

	setCampaignStatus(t, db, camp, "cancelled")
	if got, _ := s.Claim(ctx, now, 100, time.Minute, nil); len(got) != 0 {
		t.Fatalf("claimed %d rows of a cancelled campaign", len(got))
	}
	setCampaignStatus(t, db, camp, "sending")
	if got, _ := s.Claim(ctx, now, 100, time.Minute, []int64{camp}); len(got) != 0 {
		t.Fatalf("claimed %d rows of a busy campaign", len(got))
	}
	if _, err := db.Exec(ctx, "UPDATE campaigns SET rate_per_second = 2 WHERE id = ?", camp); err != nil {
		t.Fatal(err)
	}
	got, err = s.Claim(ctx, now, 100, time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * int(mail.ClaimWindow/time.Second); len(got) != want {
		t.Fatalf("claimed %d rows of a 2/s campaign; want %d", len(got), want)
	}
	if got[0].CampaignID != camp || got[0].CampaignRate != 2 || got[0].SubscriberID == 0 || got[0].MessageID == "" {
		t.Fatalf("campaign row %+v", got[0])
	}
}

// Promise: rows not yet due are not claimed; a retry is due at its time, with
// attempts counted and the first failure's time kept for the 72-hour rule.
func TestMailRetryBackoff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	s := sqldb.MailStore{DB: db}
	now := time.Now().UTC().Truncate(time.Millisecond)
	queueTransactional(t, db, 1, now)
	got, _ := s.Claim(ctx, now, 10, time.Minute, nil)
	if len(got) != 1 {
		t.Fatalf("claimed %d", len(got))
	}
	retryAt := now.Add(5 * time.Minute)
	if err := s.MarkRetry(ctx, now, []mail.Retry{{ID: got[0].ID, LeaseUntil: got[0].LeaseUntil, At: retryAt, Error: "rcpt 451 temporary"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Claim(ctx, now.Add(time.Minute), 10, time.Minute, nil); len(got) != 0 {
		t.Fatal("claimed a row before its retry time")
	}
	later := retryAt.Add(time.Second)
	got, _ = s.Claim(ctx, later, 10, time.Minute, nil)
	if len(got) != 1 || got[0].Attempts != 1 || !got[0].FirstFailure.Equal(now) {
		t.Fatalf("retried row %+v; want attempts 1, first failure %v", got, now)
	}
	// A second failure keeps the first failure's time.
	if err := s.MarkRetry(ctx, later, []mail.Retry{{ID: got[0].ID, LeaseUntil: got[0].LeaseUntil, At: later, Error: "x"}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Claim(ctx, later, 10, time.Minute, nil)
	if len(got) != 1 || got[0].Attempts != 2 || !got[0].FirstFailure.Equal(now) {
		t.Fatalf("twice retried row %+v", got)
	}
}

// Promise: a hard bounce suppresses the address (the subscriber's index for campaign
// mail, the to_index for transactional mail) and is counted; the campaign completes
// with finished_at once nothing is queued or sending; counts are aggregates.
func TestMailSettleAndCampaignCompletion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	s := sqldb.MailStore{DB: db}
	sealer := testSealer(t)
	camp, err := seed.Campaign(ctx, db, sealer, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Taken after the seeding, which queues the campaign's mail at its own clock: taken
	// before, the campaign's rows are due a millisecond or more after it (flaky in CI).
	now := time.Now().UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	queueTransactional(t, db, 1, now)
	got, err := s.Claim(ctx, now, 100, time.Minute, nil)
	if err != nil || len(got) != 6 {
		t.Fatalf("claimed %d, %v", len(got), err)
	}
	trans, rows := got[0], got[1:]
	if err := s.MarkSent(ctx, now, []int64{rows[0].ID, rows[1].ID}); err != nil {
		t.Fatal(err)
	}
	fails := []mail.Failure{
		{ID: rows[2].ID, LeaseUntil: rows[2].LeaseUntil, Status: mail.StatusFailed, Error: "rcpt 550 5.1.1 hard_bounce", HardBounce: true},
		{ID: rows[3].ID, LeaseUntil: rows[3].LeaseUntil, Status: mail.StatusFailed, Error: "data 554 5.7.1 permanent"},
		{ID: trans.ID, LeaseUntil: trans.LeaseUntil, Status: mail.StatusFailed, Error: "rcpt 550 hard_bounce", HardBounce: true},
		{ID: rows[4].ID, LeaseUntil: rows[4].LeaseUntil.Add(time.Second), Status: mail.StatusFailed}, // someone else's lease: ignored
	}
	if err := s.MarkFailed(ctx, now, fails); err != nil {
		t.Fatal(err)
	}
	if st, _ := campaignStatus(t, db, camp); st != "sending" {
		t.Fatalf("campaign %s with a row still sending", st)
	}
	var suppressed []string
	r, err := db.Query(ctx, "SELECT email_index FROM suppressions WHERE reason = 'hard_bounce' ORDER BY email_index")
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var x string
		_ = r.Scan(&x)
		suppressed = append(suppressed, x)
	}
	r.Close()
	var bounced string
	if err := db.QueryRow(ctx, "SELECT email_index FROM subscribers WHERE id = ?", rows[2].SubscriberID).Scan(&bounced); err != nil {
		t.Fatal(err)
	}
	want := []string{bounced, "to-index-0"}
	sort.Strings(want)
	if fmt.Sprint(suppressed) != fmt.Sprint(want) {
		t.Fatalf("suppressed %v; want %v", suppressed, want)
	}
	if err := s.MarkSent(ctx, now, []int64{rows[4].ID}); err != nil {
		t.Fatal(err)
	}
	if st, done := campaignStatus(t, db, camp); st != "sent" || !done {
		t.Fatalf("campaign %s (finished %v) after its last row; want sent", st, done)
	}
	c, err := s.CampaignCounts(ctx, camp)
	if err != nil {
		t.Fatal(err)
	}
	if c != (mail.Counts{Sent: 3, Failed: 2, Bounced: 1}) || c.Total() != 5 {
		t.Fatalf("counts %+v", c)
	}
}

// Promise: a lease that expired (a worker killed mid-batch) is reclaimed, an unexpired
// one is not, and a release only touches rows still under the releasing claim.
func TestMailReclaimAndRelease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	s := sqldb.MailStore{DB: db}
	now := time.Now().UTC().Truncate(time.Millisecond)
	queueTransactional(t, db, 4, now)
	if err := s.Heartbeat(ctx, now, time.Hour); err != nil { // this instance stays alive
		t.Fatal(err)
	}
	a, _ := s.Claim(ctx, now, 2, time.Minute, nil)
	b, _ := s.Claim(ctx, now.Add(time.Second), 2, time.Minute, nil)
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("claims %d %d", len(a), len(b))
	}
	if n, err := s.Reclaim(ctx, now.Add(30*time.Second)); err != nil || n != 0 {
		t.Fatalf("reclaimed %d, %v before any lease expired", n, err)
	}
	if n, err := s.Reclaim(ctx, now.Add(time.Minute+500*time.Millisecond)); err != nil || n != 2 {
		t.Fatalf("reclaimed %d, %v; want the 2 rows of the first claim", n, err)
	}
	again, _ := s.Claim(ctx, now.Add(2*time.Minute), 10, time.Minute, nil)
	if fmt.Sprint(ids(again)) != fmt.Sprint(ids(a)) {
		t.Fatalf("claimed %v after reclaim; want %v", ids(again), ids(a))
	}
	// The first claimer's release is stale (another claim holds the rows): no effect.
	if err := s.Release(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Claim(ctx, now.Add(2*time.Minute), 10, time.Minute, nil); len(got) != 0 {
		t.Fatalf("a stale release freed %v", ids(got))
	}
	if err := s.Release(ctx, again); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Claim(ctx, now.Add(2*time.Minute), 10, time.Minute, nil); len(got) != 2 {
		t.Fatalf("claimed %d after release; want 2", len(got))
	}
}

// Promise: concurrent claimers never take the same row (FOR UPDATE SKIP LOCKED on
// PostgreSQL; the single writer on SQLite), and together they take every row.
func TestMailConcurrentClaims(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := dbtest.DSN(t)
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Campaign(ctx, db, testSealer(t), 2000, 0); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		h, err := sqldb.Open(ctx, dsn) // one handle per "instance"
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		s := sqldb.MailStore{DB: h}
		wg.Go(func() {
			for {
				got, err := s.Claim(ctx, now, 37, time.Minute, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, c := range got {
					seen[c.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 2000 {
		t.Fatalf("claimed %d distinct rows; want 2000", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("row %d claimed %d times", id, n)
		}
	}
}

// Promise: finished transactional mail (which holds a sealed address and text) does not
// stay in the outbox forever: past the retention it is deleted; mail still waiting is
// kept whatever its age.
func TestMailPurgeFinished(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	ctx := context.Background()
	store := sqldb.MailStore{DB: db}
	old := time.Now().Add(-40 * 24 * time.Hour)
	rows := queueTransactional(t, db, 4, old)
	if err := store.MarkSent(ctx, old, rows[:2]); err != nil {
		t.Fatal(err)
	}
	recent := queueTransactional(t, db, 1, time.Now())
	if err := store.MarkSent(ctx, time.Now(), recent); err != nil {
		t.Fatal(err)
	}
	n, err := store.PurgeFinished(ctx, time.Now().Add(-30*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("purged %d, %v; want the 2 old sent rows", n, err)
	}
	var left int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM mail_outbox").Scan(&left); err != nil || left != 3 {
		t.Fatalf("%d rows left (%v); want 2 old queued + 1 recent sent", left, err)
	}
}
