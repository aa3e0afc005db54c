package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
	"github.com/candor-dev/candor/internal/testkit/seed"
)

// Promise (docs/mail.md, crash recovery): a restarted instance frees its previous
// incarnation's claims at once, without waiting out their lease; another live
// instance's claims are kept while its heartbeat is fresh, and freed once it is stale.
// The campaign's counts follow. The clock is passed in.
func TestMailDeadInstancesClaimsAreFreed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	camp, err := seed.Campaign(ctx, db, testSealer(t), 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	const stale = 15 * time.Second
	t0 := time.Now().UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	old := sqldb.MailStore{DB: db, Name: "serve", Incarnation: "old"}
	peer := sqldb.MailStore{DB: db, Incarnation: "peer"}
	restarted := sqldb.MailStore{DB: db, Name: "serve", Incarnation: "new"}
	claim := func(s sqldb.MailStore, n int) {
		t.Helper()
		if err := s.Heartbeat(ctx, t0, stale); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Claim(ctx, t0, n, 2*time.Minute, nil); err != nil || len(got) != n {
			t.Fatalf("%s claimed %d, %v", s.Instance(), len(got), err)
		}
	}
	reclaim := func(s sqldb.MailStore, at time.Time, want int) {
		t.Helper()
		if err := s.Heartbeat(ctx, at, stale); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Reclaim(ctx, at); err != nil || n != want {
			t.Fatalf("%s reclaimed %d at +%s, %v; want %d", s.Instance(), n, at.Sub(t0), err, want)
		}
		got, _ := s.CampaignCounts(ctx, camp)
		if c := countedLedger(t, db, camp); got != c {
			t.Fatalf("counts %+v; ledger %+v", got, c)
		}
	}
	claim(old, 5)
	claim(peer, 3)
	reclaim(peer, t0.Add(time.Second), 0)      // both alive
	reclaim(restarted, t0.Add(time.Second), 5) // the old incarnation: freed at once
	reclaim(restarted, t0.Add(10*time.Second), 0)
	reclaim(restarted, t0.Add(20*time.Second), 3) // the peer's heartbeat is stale
}
