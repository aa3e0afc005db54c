package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
)

// person is one made-up person whose data a retention or erasure test stores: each
// plain value is also stored sealed, and both are canaries.
type person struct {
	Email, Name, Text string
}

// seeder writes rows for the retention and erasure tests with raw SQL, sealing every
// personal value with a real sealer, and remembers the sealed values it wrote.
type seeder struct {
	t      testing.TB
	db     *sqldb.DB
	sealer *pii.Sealer
	sealed []string
}

func (s *seeder) seal(v string) string {
	s.t.Helper()
	out, err := s.sealer.SealString("test", v)
	if err != nil {
		s.t.Fatal(err)
	}
	s.sealed = append(s.sealed, out)
	return out
}

func (s *seeder) insert(query string, args ...any) int64 {
	s.t.Helper()
	var id int64
	err := s.db.InTx(context.Background(), func(tx *sqldb.Tx) (err error) {
		id, err = sqldb.InsertID(context.Background(), tx, query, args...)
		return err
	})
	if err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func (s *seeder) exec(query string, args ...any) {
	s.t.Helper()
	if _, err := s.db.Exec(context.Background(), query, args...); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
}

func (s *seeder) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (s *seeder) subscriber(p person) int64 {
	return s.insert(`INSERT INTO subscribers (email_index, email_sealed, name_sealed, status, consent_source, created_at, updated_at)
		VALUES (?, ?, ?, 'confirmed', 'form:test', 0, 0)`, s.sealer.Index("test", p.Email), s.seal(p.Email), s.seal(p.Name))
}

// conversation stores a conversation in folder, last active at, with the person's
// message, a staff reply by author (0: none) and the reply's copy in the outbox.
func (s *seeder) conversation(p person, folder string, at time.Time, author int64) int64 {
	ms := at.UnixMilli()
	id := s.insert(`INSERT INTO contact_conversations (folder, email_index, email_sealed, name_sealed, subject_sealed, thread_id,
		created_at, updated_at, folder_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		folder, s.sealer.Index("test", p.Email), s.seal(p.Email), s.seal(p.Name), s.seal(p.Text+" subject"),
		fmt.Sprintf("<thread-%d@test>", ms), ms, ms, ms)
	s.insert("INSERT INTO contact_messages (conversation_id, kind, body_sealed, created_at) VALUES (?, 'in', ?, ?)", id, s.seal(p.Text), ms)
	reply := fmt.Sprintf("<reply-%d-%d@test>", id, ms)
	var by any
	if author != 0 {
		by = author
	}
	s.insert("INSERT INTO contact_messages (conversation_id, kind, body_sealed, author_id, message_id, created_at) VALUES (?, 'out', ?, ?, ?, ?)",
		id, s.seal("Re: "+p.Text), by, reply, ms)
	s.insert(`INSERT INTO mail_outbox (purpose, to_sealed, content_sealed, message_id, status, next_attempt_at, created_at, sent_at)
		VALUES ('contact.reply', ?, ?, ?, 'sent', ?, ?, ?)`, s.seal(p.Email), s.seal("Re: "+p.Text), reply, ms, ms, ms)
	return id
}

// order stores an order of the person; paid is zero for an order never paid.
func (s *seeder) order(p person, status string, changed, paid time.Time) int64 {
	var product, edition int64
	if s.count("SELECT COUNT(*) FROM shop_products") == 0 {
		product = s.insert("INSERT INTO shop_products (slug, name, created_at) VALUES ('app', 'App', 0)")
		s.insert("INSERT INTO shop_editions (product_id, slug, name) VALUES (?, 'pro', 'Pro')", product)
	}
	if err := s.db.QueryRow(context.Background(), "SELECT product_id, id FROM shop_editions").Scan(&product, &edition); err != nil {
		s.t.Fatal(err)
	}
	var paidMs int64
	if !paid.IsZero() {
		paidMs = paid.UnixMilli()
	}
	ref := fmt.Sprintf("ref-%d-%d", changed.UnixNano(), s.count("SELECT COUNT(*) FROM shop_orders"))
	return s.insert(`INSERT INTO shop_orders (ref, status, mode, email_index, email_sealed, name_sealed, country, product_id, edition_id,
		product_slug, edition_slug, product_name, edition_name, seats, term_days, quantity, currency, unit_amount, subtotal,
		discount, tax, tax_rate, tax_inclusive, total, payment_id, card_brand, card_last4, card_exp_month, card_exp_year,
		created_at, updated_at, paid_at)
		VALUES (?, ?, 'test', ?, ?, ?, 'DE', ?, ?, 'app', 'pro', 'App', 'Pro', 1, 0, 1, 'EUR', 4900, 4900, 0, 931, 1900, 1, 4900,
		'pi_canary', 'visa', '4242', 12, 2030, ?, ?, ?)`,
		ref, status, s.sealer.Index("test", p.Email), s.seal(p.Email), s.seal(p.Name), product, edition,
		changed.UnixMilli(), changed.UnixMilli(), paidMs)
}

// staffMember stores a staff account, disabled at the given time (zero: active).
func (s *seeder) staffMember(p person, disabled time.Time) int64 {
	var at any
	if !disabled.IsZero() {
		at = disabled.UnixMilli()
	}
	return s.insert(`INSERT INTO staff (email_index, email_sealed, display_name_sealed, role, password_hash, disabled_at, created_at, password_changed_at)
		VALUES (?, ?, ?, 'support', 'x', ?, 0, 0)`, s.sealer.Index("test", p.Email), s.seal(p.Email), s.seal(p.Name), at)
}
