package newsletter_test

import (
	"context"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// heldElsewhere stores a contact conversation from inbox and an order by buyer, as the
// inbox and the shop would (sealed, indexed under their own purposes).
func heldElsewhere(t *testing.T, e env, inbox, buyer string) {
	t.Helper()
	ctx := context.Background()
	seal := func(c, v string) string {
		s, err := e.sealer.SealString(c, v)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, err := e.db.Exec(ctx, `INSERT INTO contact_conversations (folder, email_index, email_sealed, name_sealed, subject_sealed,
		thread_id, created_at, updated_at, folder_changed_at) VALUES ('open', ?, ?, ?, ?, '<t@x>', 0, 0, 0)`,
		e.sealer.Index(contact.SealEmail, inbox), seal(contact.SealEmail, inbox), seal(contact.SealName, "In Box"), seal(contact.SealSubject, "Hi")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO shop_products (slug, name, created_at) VALUES ('p', 'P', 0)",
		"INSERT INTO shop_editions (product_id, slug, name) VALUES (1, 'e', 'E')",
	} {
		if _, err := e.db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.db.Exec(ctx, `INSERT INTO shop_orders (ref, status, mode, email_index, email_sealed, name_sealed, country,
		product_id, edition_id, product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency,
		unit_amount, subtotal, discount, tax, tax_rate, tax_inclusive, total, created_at, updated_at)
		VALUES ('r1', 'paid', 'test', ?, ?, ?, 'DE', 1, 1, 'p', 'e', 'P', 'E', 1, 0, 1, 'EUR', 100, 100, 0, 0, 0, 0, 100, 0, 0)`,
		e.sealer.Index(shop.SealEmail, buyer), seal(shop.SealEmail, buyer), seal(shop.SealName, "Bu Yer")); err != nil {
		t.Fatal(err)
	}
}

// Promise (purpose limitation, issue 10 §6): an address Candor knows only from the
// inbox or from orders never becomes a subscriber by import, whatever consent source
// the importer declares; the preview names the rows and why. An address that is also
// a subscriber already is left as it is; others import as before.
func TestImportNeverSubscribesAnAddressKnownOnlyFromTheInboxOrOrders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	heldElsewhere(t, e, "writer@example.test", "buyer@example.test")
	file := "email\nwriter@example.test\nbuyer@example.test\nfresh@example.test\n"
	pv, err := e.svc.PreviewImport(ctx, staff.CLI, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if pv.New != 1 || pv.Refused != 2 || pv.SkippedCount != 2 || len(pv.Skipped) != 2 {
		t.Fatalf("preview: new %d, refused %d, skipped %+v", pv.New, pv.Refused, pv.Skipped)
	}
	if s := pv.Skipped[0]; s.Line != 2 || !strings.Contains(s.Reason, "contact inbox") {
		t.Errorf("inbox row: %+v", s)
	}
	if s := pv.Skipped[1]; s.Line != 3 || !strings.Contains(s.Reason, "orders") {
		t.Errorf("buyer row: %+v", s)
	}
	res, err := e.svc.CommitImport(ctx, staff.CLI, pv.ID, "Mailchimp export, double opt-in there", []int64{newsList(t, e)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Refused != 2 {
		t.Errorf("import: %+v", res)
	}
	for _, addr := range []string{"writer@example.test", "buyer@example.test"} {
		if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers WHERE email_index = ?", e.svc.EmailIndex(addr)); n != 0 {
			t.Errorf("%s became a subscriber", addr)
		}
	}
	if !strings.Contains(auditText(t, e.db), `"refused":"2"`) {
		t.Error("the import's audit entry does not count the refused rows")
	}
}
