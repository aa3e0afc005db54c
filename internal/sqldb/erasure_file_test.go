package sqldb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/canary"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// Promise (issue 10, "erased means gone from the file"): after a subscriber, a
// conversation and a buyer are erased and the database is compacted, neither the
// database file nor its write-ahead log holds their sealed values or plain texts, raw
// or in any encoding the canary helper knows — even when the data had been checkpointed
// into the main file before the erasure (a freed page) and sat in the WAL.
func TestErasedDataLeavesTheFile(t *testing.T) {
	if os.Getenv(dbtest.PostgresEnv) != "" {
		t.Skip("the files of a PostgreSQL server are not ours to read; docs/operations.md says what VACUUM guarantees")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(dir, "candor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s := &seeder{t: t, db: db, sealer: testSealer(t)}
	sub := person{"sub-canary-7f3@example.org", "Subcanary Quill", ""}
	writer := person{"writer-canary-9c1@example.org", "Wricanary Vale", "canary message body 5d2e about my order"}
	buyer := person{"buyer-canary-2b8@example.org", "Buycanary Holt", ""}
	keep := person{"keeper@example.org", "Keeper", "a message that stays"}

	now := time.Now()
	old := now.Add(-400 * 24 * time.Hour)
	subID := s.subscriber(sub)
	s.conversation(writer, "open", old, 0)
	s.order(buyer, "fulfilled", old, old)
	canaries := append([]string{sub.Email, sub.Name, writer.Email, writer.Name, writer.Text, buyer.Email, buyer.Name}, s.sealed...)
	s.conversation(keep, "open", now, 0)

	// Into the main file first, as after a clean shutdown; then more writes in the WAL.
	if err := db.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	s.exec("UPDATE subscribers SET updated_at = 1 WHERE id = ?", subID)

	if err := (sqldb.NewsletterStore{DB: db}).Erase(ctx, subID, "erased", 0, now); err != nil {
		t.Fatal(err)
	}
	r := sqldb.RetentionStore{DB: db}
	if n, err := r.PurgeIdleConversations(ctx, now.Add(-365*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("idle conversations purged: %d, %v", n, err)
	}
	if n, err := r.PseudonymiseOrders(ctx, now.Add(-365*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("orders pseudonymised: %d, %v", n, err)
	}
	if err := db.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	canary.AssertAbsent(t, "erased means gone from the file (database and WAL)", []string{dir}, canaries...)

	// The control: what was not erased is still found, so the search does find things.
	if hits, err := canary.Find([]string{dir}, s.sealed[len(s.sealed)-1]); err != nil || len(hits) == 0 {
		t.Fatalf("the kept conversation's sealed reply is not found (%v): the search is blind", err)
	}
}
