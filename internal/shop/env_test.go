package shop_test

import (
	"context"
	"crypto/ed25519"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/sandbox"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

type env struct {
	db     *sqldb.DB
	sealer *pii.Sealer
	svc    *shop.Service
	box    *sandbox.Sandbox
	proc   *faultyProcessor
	pub    ed25519.PublicKey
	signer shop.Signer
	clerk  staff.Principal
}

// faultyProcessor is a FAKE wrapped around the real sandbox, for faults the sandbox
// cannot produce: it counts calls, can hold Pay until released, and can lose the
// answer of a Pay or Refund that the sandbox performed (the processor charged, Candor
// never heard).
type faultyProcessor struct {
	*sandbox.Sandbox
	mu          sync.Mutex
	pays        int
	refunds     int
	loseNextPay bool
	loseRefunds bool
	refundAs    payment.Status  // when set, the status refunds are answered with
	refuseCards error           // when set, Tokenize fails with it
	hold        chan struct{}   // when set, Pay waits for it to close
	intents     map[string]bool // distinct payments the sandbox made
}

func (f *faultyProcessor) Pay(ctx context.Context, req payment.PayRequest) (payment.Payment, error) {
	f.mu.Lock()
	f.pays++
	hold, lose := f.hold, f.loseNextPay
	f.loseNextPay = false
	f.mu.Unlock()
	if hold != nil {
		<-hold
	}
	p, err := f.Sandbox.Pay(ctx, req)
	f.mu.Lock()
	if p.ID != "" {
		if f.intents == nil {
			f.intents = map[string]bool{}
		}
		f.intents[p.ID] = true
	}
	f.mu.Unlock()
	if lose {
		return payment.Payment{}, &payment.Error{Kind: payment.Unavailable, Cause: context.DeadlineExceeded}
	}
	return p, err
}

func (f *faultyProcessor) Tokenize(ctx context.Context, card *payment.Card) (payment.Method, error) {
	f.mu.Lock()
	refuse := f.refuseCards
	f.mu.Unlock()
	if refuse != nil {
		return payment.Method{}, refuse
	}
	return f.Sandbox.Tokenize(ctx, card)
}

func (f *faultyProcessor) Refund(ctx context.Context, req payment.RefundRequest) (payment.RefundResult, error) {
	f.mu.Lock()
	f.refunds++
	lose := f.loseRefunds
	f.mu.Unlock()
	r, err := f.Sandbox.Refund(ctx, req)
	f.mu.Lock()
	if f.refundAs != "" && err == nil {
		r.Status = f.refundAs
	}
	f.mu.Unlock()
	if lose {
		return payment.RefundResult{}, &payment.Error{Kind: payment.Unavailable, Cause: context.DeadlineExceeded}
	}
	return r, err
}

// charges is how many distinct payments the sandbox made.
func (f *faultyProcessor) charges() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.intents)
}

func (f *faultyProcessor) counts() (pays, refunds int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pays, f.refunds
}

// withProcessor is a second shop over the same database with another processor.
func (e *env) withProcessor(proc payment.Processor, mode string) *shop.Service {
	return shop.New(sqldb.ShopStore{DB: e.db}, proc, e.sealer, e.signer, audit.New(sqldb.AuditStore{DB: e.db}, e.sealer.Index), nil, shop.Options{
		Mode: mode, PublicURL: "https://shop.example", MailDomain: "example.com", TaxRates: map[string]int{"DE": 1900},
	})
}

func setup(t *testing.T) *env {
	t.Helper()
	db := dbtest.Open(t)
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	sealer := pii.NewSealer(kr)
	pub, priv, _ := ed25519.GenerateKey(nil)
	box := sandbox.New()
	proc := &faultyProcessor{Sandbox: box}
	svc := shop.New(sqldb.ShopStore{DB: db}, proc, sealer, shop.LicenceSigner{Key: priv}, audit.New(sqldb.AuditStore{DB: db}, sealer.Index), nil, shop.Options{
		Mode: shop.ModeTest, PublicURL: "https://shop.example", MailDomain: "example.com", Seller: "Northwind Ltd, 1 Dock Road, Leeds",
		TaxRates: map[string]int{"DE": 1900, "GB": 2000},
	})
	e := &env{db: db, sealer: sealer, svc: svc, box: box, proc: proc, pub: pub, signer: shop.LicenceSigner{Key: priv}, clerk: staff.Principal{Role: staff.ShopRole, Name: "staff:9"}}
	e.catalogue(t)
	return e
}

// catalogue adds "Northwind Pro" with a perpetual "standard" edition (EUR 49.00,
// USD 59.00) and a yearly "team" edition of 5 seats per unit, and a coupon.
func (e *env) catalogue(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	p := &shop.Product{Slug: "northwind-pro", Name: "Northwind Pro", Version: "4.2", Platforms: []string{"Windows", "macOS"}, Active: true}
	must(t, e.svc.SaveProduct(ctx, e.clerk, p))
	must(t, e.svc.SaveEdition(ctx, e.clerk, &shop.Edition{ProductID: p.ID, Slug: "standard", Name: "Standard", Seats: 1, Prices: map[string]int64{"EUR": 4900, "USD": 5900}}))
	must(t, e.svc.SaveEdition(ctx, e.clerk, &shop.Edition{ProductID: p.ID, Slug: "team", Name: "Team", Seats: 5, TermDays: 365, Prices: map[string]int64{"EUR": 19900}}))
	must(t, e.svc.AddDownload(ctx, e.clerk, &shop.Download{ProductID: p.ID, Name: "Installer", File: "northwind-4.2.zip"}))
	must(t, e.svc.SaveCoupon(ctx, e.clerk, &shop.Coupon{Code: "launch", PercentOff: 20, MaxUses: 1}))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkout starts an order of one Standard licence in EUR for a buyer in country.
func (e *env) checkout(t *testing.T, country, coupon string) shop.Order {
	t.Helper()
	o, err := e.svc.StartCheckout(context.Background(), shop.CheckoutInput{Product: "northwind-pro", Edition: "standard",
		Currency: "EUR", Quantity: 1, Coupon: coupon, Name: "Ann Buyer", Email: "ann@buyer.example", Country: country})
	must(t, err)
	return o
}

// paidOrder is a Standard licence bought in Germany with the success test card.
func (e *env) paidOrder(t *testing.T) shop.Order {
	t.Helper()
	o := e.checkout(t, "DE", "")
	out, err := e.svc.PayCard(context.Background(), o.Ref, card(t, "4242424242424242"))
	if err != nil || !out.Paid {
		t.Fatalf("paying: %+v, %v", out, err)
	}
	return out.Order
}

func card(t *testing.T, number string) *payment.Card {
	t.Helper()
	c, err := payment.ParseCard(number, "12", "2034", "987", time.Now())
	must(t, err)
	return c
}

// outbox returns the purposes of the queued mails.
func (e *env) outbox(t *testing.T) []string {
	t.Helper()
	rows, err := e.db.Query(context.Background(), "SELECT purpose FROM mail_outbox ORDER BY id")
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		must(t, rows.Scan(&p))
		out = append(out, p)
	}
	return out
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	must(t, e.db.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func contains(list []string, s string) int {
	n := 0
	for _, x := range list {
		if strings.Contains(x, s) {
			n++
		}
	}
	return n
}
