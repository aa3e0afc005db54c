package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/promises"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// Promise (docs/privacy-audit.md, check "retention"): what the audit counts as overdue
// under a rule is exactly what that rule's step of the retention job removes, on both
// dialects: counted before the job, none after.
func TestOverdueMatchesTheRetentionJob(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	s := &seeder{t: t, db: db, sealer: testSealer(t)}
	r, p := sqldb.RetentionStore{DB: db}, sqldb.PromiseStore{DB: db}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	old, recent := now.Add(-400*24*time.Hour), now.Add(-time.Hour)
	cut := now.Add(-365 * 24 * time.Hour)
	ann := person{"ann@example.org", "Ann", "my licence is lost"}
	s.staffMember(person{"gone@example.org", "Gone", ""}, old)
	s.conversation(ann, "open", old, 0)
	s.conversation(ann, "waiting", recent, 0)
	s.conversation(ann, "closed", old, 0)
	s.order(ann, "failed", old, time.Time{})
	s.order(ann, "fulfilled", old, old)
	s.order(ann, "fulfilled", recent, recent)
	s.exec("INSERT INTO shop_payment_events (event_id, type, received_at) VALUES ('evt_old', 'x', ?)", old.UnixMilli())
	site := s.insert("INSERT INTO sites (name, domain, created_at) VALUES ('w', 'w.example', 0)")
	s.exec("INSERT INTO stat_cells (site_id, span, day, dim, cells) VALUES (?, 1, ?, 'page', ?)", site, old.UnixMilli(), []byte{1})
	// Data requests: answered long ago, never answered, answered lately (kept).
	for _, done := range []int64{old.UnixMilli(), 0, recent.UnixMilli()} {
		s.exec("INSERT INTO data_requests (kind, channel, email_index, email_sealed, received_at, deadline_at, done_at) VALUES ('access', 'staff', 'i', 's', ?, ?, ?)",
			old.UnixMilli(), old.UnixMilli(), done)
	}

	inbox := sqldb.ContactStore{DB: db}
	steps := []struct {
		rule string
		want int64
		run  func() (int64, error)
	}{
		{privacy.RuleOutbox, 2, func() (int64, error) { return sqldb.MailStore{DB: db}.PurgeFinished(ctx, cut) }},
		{privacy.RuleContactIdle, 1, func() (int64, error) { return r.PurgeIdleConversations(ctx, cut) }},
		{privacy.RuleContactClosed, 1, func() (int64, error) { return inbox.Purge(ctx, contact.Closed, cut) }},
		{privacy.RuleCheckout, 1, func() (int64, error) { return r.PurgeCheckouts(ctx, cut) }},
		{privacy.RuleOrder, 2, func() (int64, error) {
			n, err := r.PseudonymiseOrders(ctx, cut)
			m, err2 := r.PurgePaymentEvents(ctx, cut)
			if err == nil {
				err = err2
			}
			return n + m, err
		}},
		{privacy.RuleStaffAccount, 1, func() (int64, error) { return r.PurgeDisabledStaff(ctx, cut) }},
		{privacy.RuleStats, 1, func() (int64, error) { return r.PurgeStats(ctx, cut) }},
		{privacy.RuleDataRequest, 2, func() (int64, error) { return r.PurgeDataRequests(ctx, cut) }},
	}
	for _, st := range steps {
		if n, err := p.Overdue(ctx, st.rule, cut); err != nil || n != st.want {
			t.Errorf("rule %s before the job: %d overdue (%v), want %d", st.rule, n, err, st.want)
		}
	}
	for _, st := range steps {
		if _, err := st.run(); err != nil {
			t.Fatalf("rule %s: %v", st.rule, err)
		}
	}
	for _, st := range steps {
		if n, err := p.Overdue(ctx, st.rule, cut); err != nil || n != 0 {
			t.Errorf("rule %s after the job: %d overdue (%v), want 0", st.rule, n, err)
		}
	}
	if _, err := p.Overdue(ctx, privacy.RuleAudit, cut); err == nil {
		t.Error("a rule without a period has an overdue count")
	}
}

// The last result of each check is kept (the Promises page reads it); its status
// change time moves only when the status changes.
func TestPromiseStoreKeepsTheLastResults(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	p := sqldb.PromiseStore{DB: db}
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	save := func(at time.Time, status promises.Status, details ...string) {
		t.Helper()
		if err := p.SaveResults(ctx, []promises.Result{{ID: "outbox", Status: status, Message: "m", Details: details, RanAt: at}}); err != nil {
			t.Fatal(err)
		}
	}
	save(t0, promises.StatusOK)
	save(t0.Add(time.Hour), promises.StatusFinding, "mail_outbox: 1")
	save(t0.Add(2*time.Hour), promises.StatusFinding, "mail_outbox: 2")
	rs, err := p.LastResults(ctx)
	if err != nil || len(rs) != 1 || rs[0].Status != promises.StatusFinding || rs[0].Details[0] != "mail_outbox: 2" || !rs[0].RanAt.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("%+v, %v", rs, err)
	}
	if !rs[0].ChangedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("changed at %v; want the run that turned it red", rs[0].ChangedAt)
	}
	cols, err := p.TextColumns(ctx, []string{"stat_cells", "stats"})
	if err != nil || len(cols) != 5 {
		t.Fatalf("text columns of the statistics: %v, %v", cols, err)
	}
	if err := p.Values(ctx, "stats; DROP TABLE staff", "value", func([]byte) error { return nil }); err == nil {
		t.Fatal("Values read a column that is not in the schema")
	}
}
