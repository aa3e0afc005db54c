package privacy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// env is one database with the privacy service over it.
type env struct {
	db     *sqldb.DB
	sealer *pii.Sealer
	audit  *audit.Log
	svc    *privacy.Service
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	db := dbtest.Open(tb)
	kr, err := pii.GenerateKeyring()
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{db: db, sealer: pii.NewSealer(kr)}
	e.audit = audit.New(sqldb.AuditStore{DB: db}, e.sealer.Index)
	e.svc = privacy.NewService(sqldb.SubjectStore{DB: db}, e.sealer, e.audit)
	e.svc.SetClock(func() time.Time { return t0.Add(time.Hour) })
	return e
}

func (e *env) seal(tb testing.TB, context, v string) string {
	tb.Helper()
	s, err := e.sealer.SealString(context, v)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// person is what the fixture stores for one address, to search for afterwards.
type person struct {
	email, name, message, reply, note string
}

func newPerson(n int) person {
	return person{email: fmt.Sprintf("person%d@example.test", n), name: fmt.Sprintf("Pat Person %d", n),
		message: fmt.Sprintf("my question number %d", n), reply: fmt.Sprintf("our answer number %d", n),
		note: fmt.Sprintf("internal note about them %d", n)}
}

func (e *env) subscriber(tb testing.TB, p person) int64 {
	tb.Helper()
	ns := sqldb.NewsletterStore{DB: e.db}
	id, err := ns.SaveSignup(context.Background(), newsletter.Record{EmailIndex: e.sealer.Index(newsletter.SealEmail, p.email),
		EmailSealed: e.seal(tb, newsletter.SealEmail, p.email), NameSealed: e.seal(tb, newsletter.SealName, p.name),
		Status: newsletter.Pending, ConsentSource: "form:footer", ConsentTextHash: "hash-1", CreatedAt: t0, UpdatedAt: t0},
		"subscribed", func(int64) (*mail.Queued, error) { return nil, nil })
	if err != nil {
		tb.Fatal(err)
	}
	if err := ns.Confirm(context.Background(), id, []int64{1}, nil, t0, t0.Add(time.Minute)); err != nil {
		tb.Fatal(err)
	}
	return id
}

// conversation stores a message from p, a reply to them and an internal note.
func (e *env) conversation(tb testing.TB, p person, i int) int64 {
	tb.Helper()
	ctx := context.Background()
	cs := sqldb.ContactStore{DB: e.db}
	id, err := cs.Create(ctx, contact.Record{Folder: contact.Folder("open"), EmailIndex: e.sealer.Index(contact.SealEmail, p.email),
		EmailSealed: e.seal(tb, contact.SealEmail, p.email), NameSealed: e.seal(tb, contact.SealName, p.name),
		SubjectSealed: e.seal(tb, contact.SealSubject, "Question"), ThreadID: fmt.Sprintf("<t%d-%s>", i, p.email),
		CreatedAt: t0, UpdatedAt: t0, FolderChangedAt: t0},
		contact.MessageRecord{Kind: contact.In, BodySealed: e.seal(tb, contact.SealBody, p.message), CreatedAt: t0}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range []contact.MessageRecord{
		{ConversationID: id, Kind: contact.Out, BodySealed: e.seal(tb, contact.SealBody, p.reply), MessageID: fmt.Sprintf("<r%d@x>", i), CreatedAt: t0},
		{ConversationID: id, Kind: contact.Note, BodySealed: e.seal(tb, contact.SealBody, p.note), CreatedAt: t0},
	} {
		if _, err := cs.AddMessage(ctx, m, nil, contact.Folder("open")); err != nil {
			tb.Fatal(err)
		}
	}
	return id
}

// order stores an order of p: paid (with an invoice, card and licence) or abandoned.
func (e *env) order(tb testing.TB, p person, i int, paid bool) int64 {
	tb.Helper()
	ctx := context.Background()
	ss := sqldb.ShopStore{DB: e.db}
	var prod []shop.Product
	prod, err := ss.Products(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if len(prod) == 0 {
		pr := shop.Product{Slug: "tool", Name: "Tool", Active: true}
		if err := ss.SaveProduct(ctx, &pr); err != nil {
			tb.Fatal(err)
		}
		ed := shop.Edition{ProductID: pr.ID, Slug: "std", Name: "Standard", Seats: 1, Prices: map[string]int64{"EUR": 4900}}
		if err := ss.SaveEdition(ctx, &ed); err != nil {
			tb.Fatal(err)
		}
		pr.Editions = []shop.Edition{ed}
		prod = []shop.Product{pr}
	}
	o := shop.Order{Ref: fmt.Sprintf("ref-%d-%s", i, p.email), Status: shop.Failed, Mode: "test",
		EmailIndex: e.sealer.Index(shop.SealEmail, p.email), EmailSealed: e.seal(tb, shop.SealEmail, p.email),
		NameSealed: e.seal(tb, shop.SealName, p.name), Country: "DE", ProductID: prod[0].ID, EditionID: prod[0].Editions[0].ID,
		ProductSlug: "tool", EditionSlug: "std", ProductName: "Tool", EditionName: "Standard", Seats: 1, Quantity: 1,
		Currency: "EUR", UnitAmount: 4900, Subtotal: 4900, Total: 4900, AttemptState: shop.AttemptOpen, CreatedAt: t0, UpdatedAt: t0}
	if err := ss.CreateOrder(ctx, &o); err != nil {
		tb.Fatal(err)
	}
	if paid {
		if _, err := e.db.Exec(ctx, `UPDATE shop_orders SET status = 'fulfilled', attempt_state = 'done', paid_at = ?,
			card_brand = 'visa', card_last4 = '4242', invoice_no = ? WHERE id = ?`, t0.UnixMilli(), o.ID, o.ID); err != nil {
			tb.Fatal(err)
		}
		if _, err := e.db.Exec(ctx, `INSERT INTO shop_licences (order_id, licence_id, licence_key, seats, created_at)
			VALUES (?, ?, ?, 1, ?)`, o.ID, fmt.Sprintf("lic-%d", o.ID), fmt.Sprintf("KEY-%d", o.ID), t0.UnixMilli()); err != nil {
			tb.Fatal(err)
		}
	}
	return o.ID
}

// outbox queues a transactional mail to p.
func (e *env) outbox(tb testing.TB, p person, i int) {
	tb.Helper()
	to, _ := pii.NewEmail(p.email)
	q, err := mail.Compose(e.sealer, mail.Draft{Purpose: "contact.reply", To: to,
		Content: mail.Content{Subject: fmt.Sprintf("Re: Question %d", i), Text: p.reply}}, "candor.test", t0)
	if err != nil {
		tb.Fatal(err)
	}
	if err := e.db.InTx(context.Background(), func(tx *sqldb.Tx) error {
		_, err := sqldb.InsertOutbox(context.Background(), tx, q)
		return err
	}); err != nil {
		tb.Fatal(err)
	}
}
