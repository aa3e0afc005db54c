package mail_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/certs"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
	"github.com/candor-dev/candor/internal/testkit/seed"

	netmail "net/mail"
)

// env is one test's mail world: a fresh database (SQLite, or PostgreSQL with
// CANDOR_TEST_POSTGRES), a sealer, and a Service whose worker runs until the test ends.
type env struct {
	t      *testing.T
	db     *sqldb.DB
	store  sqldb.MailStore
	sealer *pii.Sealer
	svc    *mail.Service
}

var sender = &netmail.Address{Name: "Northwind News", Address: "news@candor.test"}

func newSealer(t testing.TB) *pii.Sealer {
	t.Helper()
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	return pii.NewSealer(kr)
}

// newRelay builds the SMTP adapter for a test relay on loopback (allow-private on,
// the test certificate trusted).
func newRelay(t testing.TB, u *url.URL, cert *certs.Cert, o smtp.Options) *smtp.Relay {
	t.Helper()
	o.URL, o.AllowPrivate, o.From = u, true, sender
	if cert != nil {
		o.RootCAs = cert.Pool
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	r, err := smtp.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// newEnv starts a Service over a fresh database with the given sender (nil: no relay)
// and fast test timings; o may override them.
func newEnv(t *testing.T, s mail.Sender, o mail.Options) *env {
	t.Helper()
	e := &env{t: t, db: dbtest.Open(t), sealer: newSealer(t)}
	e.store = sqldb.MailStore{DB: e.db}
	o.Store, o.Sealer, o.Sender = e.store, e.sealer, s
	if o.Renderer == nil {
		o.Renderer = seed.Renderer(e.db, e.sealer, "https://candor.test")
	}
	if o.Poll == 0 {
		o.Poll = 100 * time.Millisecond
	}
	if o.Lease == 0 {
		o.Lease = 20 * time.Second
	}
	if o.RetryBase == 0 {
		o.RetryBase, o.RetryMax = 200*time.Millisecond, time.Second
	}
	e.svc = mail.NewService(o)
	return e
}

// start runs the worker until the test ends (and waits for its clean shutdown).
func (e *env) start() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.svc.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
	})
}

// queue writes a transactional message in its own transaction, as a domain would
// inside its own, and wakes the worker. It returns the row id and Message-ID.
func (e *env) queue(to string, c mail.Content) (int64, string) {
	e.t.Helper()
	addr, err := pii.NewEmail(to)
	if err != nil {
		e.t.Fatal(err)
	}
	q, err := mail.Compose(e.sealer, mail.Draft{Purpose: "test", To: addr, Content: c}, "candor.test", time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	var id int64
	err = e.db.InTx(context.Background(), func(tx *sqldb.Tx) error {
		id, err = sqldb.InsertOutbox(context.Background(), tx, q)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc.Notify()
	return id, q.MessageID
}

// row is what the ledger says about one message.
type row struct {
	Status    string
	Attempts  int
	LastError string
	Next      time.Time
	Bounce    bool
}

func (e *env) row(id int64) row {
	e.t.Helper()
	var r row
	var next int64
	var bounce int
	err := e.db.QueryRow(context.Background(), "SELECT status, attempts, last_error, next_attempt_at, hard_bounce FROM mail_outbox WHERE id = ?", id).
		Scan(&r.Status, &r.Attempts, &r.LastError, &next, &bounce)
	if err != nil {
		e.t.Fatal(err)
	}
	r.Next, r.Bounce = time.UnixMilli(next), bounce == 1
	return r
}

// waitRow polls until the row satisfies ok, or fails after timeout.
func (e *env) waitRow(id int64, timeout time.Duration, ok func(row) bool) row {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		r := e.row(id)
		if ok(r) {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("outbox row %d is %+v after %s", id, r, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitCampaign polls until the campaign's status is want.
func (e *env) waitCampaign(id int64, want string, timeout time.Duration) {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var st string
		if err := e.db.QueryRow(context.Background(), "SELECT status FROM campaigns WHERE id = ?", id).Scan(&st); err != nil {
			e.t.Fatal(err)
		}
		if st == want {
			return
		}
		if time.Now().After(deadline) {
			c, _ := e.store.CampaignCounts(context.Background(), id)
			e.t.Fatalf("campaign %d is %s after %s (counts %+v); want %s", id, st, timeout, c, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
