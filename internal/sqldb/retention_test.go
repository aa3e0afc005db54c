package sqldb_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// Promise (docs/privacy.md, retention rules): every kind of record is kept only for its
// period. Each rule touches what is past its cut-off and nothing else, on both dialects.
func TestRetentionRules(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	s := &seeder{t: t, db: db, sealer: testSealer(t)}
	r := sqldb.RetentionStore{DB: db}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	old, recent := now.Add(-400*24*time.Hour), now.Add(-time.Hour)
	cut := now.Add(-365 * 24 * time.Hour)
	ann := person{"ann@example.org", "Ann", "my licence is lost"}

	gone := s.staffMember(person{"gone@example.org", "Gone", ""}, old)
	s.staffMember(person{"left@example.org", "Left", ""}, recent)
	s.staffMember(person{"here@example.org", "Here", ""}, time.Time{})
	idle := s.conversation(ann, "open", old, gone)
	s.conversation(ann, "waiting", recent, 0)
	s.conversation(ann, "closed", old, 0) // the closed folder has its own rule
	s.order(ann, "failed", old, time.Time{})
	s.order(ann, "failed", recent, time.Time{})
	s.order(ann, "pending", old, time.Time{})
	paidOld := s.order(ann, "fulfilled", old, old)
	s.order(ann, "fulfilled", recent, recent)
	s.exec("INSERT INTO shop_payment_events (event_id, type, received_at) VALUES ('evt_old', 'x', ?), ('evt_new', 'x', ?)", old.UnixMilli(), recent.UnixMilli())
	site := s.insert("INSERT INTO sites (name, domain, created_at) VALUES ('w', 'w.example', 0)")
	s.exec("INSERT INTO stat_cells (site_id, span, day, dim, cells) VALUES (?, 1, ?, 'page', ?), (?, 1, ?, 'page', ?)",
		site, old.UnixMilli(), []byte{1}, site, recent.UnixMilli(), []byte{1})

	for _, c := range []struct {
		rule string
		run  func(context.Context, time.Time) (int64, error)
		want int64
	}{
		{"contact-inactive", r.PurgeIdleConversations, 1},
		{"checkout", r.PurgeCheckouts, 1},
		{"order", r.PseudonymiseOrders, 1},
		{"order (payment events)", r.PurgePaymentEvents, 1},
		{"staff-account", r.PurgeDisabledStaff, 1},
		{"stats", r.PurgeStats, 1},
	} {
		n, err := c.run(ctx, cut)
		if err != nil || n != c.want {
			t.Errorf("rule %s: touched %d (%v), want %d", c.rule, n, err, c.want)
		}
		if n, err := c.run(ctx, cut); err != nil || n != 0 {
			t.Errorf("rule %s run again: touched %d (%v), want 0", c.rule, n, err)
		}
	}
	checks := []struct {
		what  string
		query string
		args  []any
		want  int
	}{
		{"the idle open conversation and its messages", "SELECT COUNT(*) FROM contact_messages WHERE conversation_id = ?", []any{idle}, 0},
		{"the idle conversation's reply in the outbox", "SELECT COUNT(*) FROM mail_outbox WHERE message_id LIKE ?", []any{"<reply-" + strconv.FormatInt(idle, 10) + "-%"}, 0},
		{"conversations left (recent waiting, old closed)", "SELECT COUNT(*) FROM contact_conversations", nil, 2},
		{"orders left (recent failed, old pending, two paid)", "SELECT COUNT(*) FROM shop_orders", nil, 4},
		{"the old paid order's buyer", "SELECT COUNT(*) FROM shop_orders WHERE id = ? AND email_sealed = '' AND name_sealed = '' AND card_last4 = '' AND payment_id = '' AND total = 4900 AND country = 'DE'", []any{paidOld}, 1},
		{"other orders' buyers", "SELECT COUNT(*) FROM shop_orders WHERE email_sealed <> ''", nil, 3},
		{"staff left", "SELECT COUNT(*) FROM staff", nil, 2},
		{"statistics left", "SELECT COUNT(*) FROM stat_cells", nil, 1},
		{"payment events left", "SELECT COUNT(*) FROM shop_payment_events", nil, 1},
	}
	for _, c := range checks {
		if got := s.count(c.query, c.args...); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	if err := db.Compact(ctx); err != nil {
		t.Fatalf("compact: %v", err)
	}
}
