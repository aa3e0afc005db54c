package cli

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/testkit/canary"
)

// Promise (docs/privacy.md): the hourly retention job of `candor serve` enforces the
// configured periods — here a failed checkout older than --checkout-retention and an
// open conversation idle longer than --retention-inactive — and its log says how many
// records each rule touched, never whose.
func TestRetentionJobEnforcesTheConfiguredPeriods(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if out, err := runCandor(t, "", "migrate", "--data-dir", dir); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	var logs canary.Buffer
	inv := (&invocation{cmd: command{name: "test"}, env: Env{Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: &logs}}).
		withArgs([]string{"--data-dir", dir, "--checkout-retention", "48h", "--retention-inactive", "720h"})
	if err := inv.parse(); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(ctx, inv, appNeeds{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	email, name := "retention-canary@example.org", "Retcanary Moss"
	sealedEmail, _ := a.sealer.SealString("test", email)
	sealedName, _ := a.sealer.SealString("test", name)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := a.db.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	now := time.Now()
	// One of each past its period (an order failed 3 days ago, a conversation idle for 40
	// days) and one of each within it (an hour old).
	for i, age := range []struct{ order, conversation time.Duration }{{72 * time.Hour, 40 * 24 * time.Hour}, {time.Hour, time.Hour}} {
		tag := string(rune('a' + i))
		idle := now.Add(-age.conversation).UnixMilli()
		exec(`INSERT INTO contact_conversations (folder, email_index, email_sealed, name_sealed, subject_sealed, thread_id,
			created_at, updated_at, folder_changed_at) VALUES ('open', 'x', ?, ?, ?, ?, ?, ?, ?)`,
			sealedEmail, sealedName, sealedName, "<t"+tag+">", idle, idle, idle)
		exec("INSERT INTO shop_products (slug, name, created_at) VALUES (?, 'P', 0)", "p"+tag)
		exec("INSERT INTO shop_editions (product_id, slug, name) VALUES ((SELECT MAX(id) FROM shop_products), 'e', 'E')")
		failed := now.Add(-age.order).UnixMilli()
		exec(`INSERT INTO shop_orders (ref, status, mode, email_index, email_sealed, name_sealed, country, product_id, edition_id,
			product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency, unit_amount, subtotal,
			discount, tax, tax_rate, tax_inclusive, total, created_at, updated_at)
			VALUES (?, 'failed', 'test', 'x', ?, ?, 'DE', (SELECT MAX(id) FROM shop_products), (SELECT MAX(id) FROM shop_editions),
			'p', 'e', 'P', 'E', 1, 0, 1, 'EUR', 100, 100, 0, 0, 0, 0, 100, ?, ?)`, "ref"+tag, sealedEmail, sealedName, failed, failed)
	}

	n, err := a.enforceRetention(ctx)
	if err != nil || n != 2 {
		t.Fatalf("the retention job touched %d records (%v), want 2: the old checkout and the idle conversation", n, err)
	}
	for _, want := range []string{"rule=checkout count=1", "rule=contact-inactive count=1"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log has no %q:\n%s", want, logs.String())
		}
	}
	var left int
	if err := a.db.QueryRow(ctx, "SELECT (SELECT COUNT(*) FROM shop_orders) + (SELECT COUNT(*) FROM contact_conversations)").Scan(&left); err != nil || left != 2 {
		t.Errorf("%d records left (%v), want the recent checkout and conversation", left, err)
	}
	var c canary.Canaries
	c.Add(email, name, sealedEmail, sealedName)
	c.AssertNotIn(t, "retention job's log", logs.String())
}
