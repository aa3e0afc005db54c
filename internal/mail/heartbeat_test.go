package mail_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/sqldb"
)

// failingHeartbeat is the ledger with a heartbeat that fails until ok is set, as when
// the database refuses one write.
type failingHeartbeat struct {
	sqldb.MailStore
	ok    *atomic.Bool
	tries *atomic.Int64
}

func (s failingHeartbeat) Heartbeat(ctx context.Context, now time.Time, stale time.Duration) error {
	s.tries.Add(1)
	if !s.ok.Load() {
		return errors.New("heartbeat refused")
	}
	return s.MailStore.Heartbeat(ctx, now, stale)
}

// Promise (docs/mail.md, several instances): a worker whose heartbeat was not renewed
// claims nothing (its claims would look dead to the other instances, which would send
// them again); it claims and sends once the heartbeat is renewed.
func TestNoClaimWithoutAHeartbeat(t *testing.T) {
	t.Parallel()
	f := newFaulty()
	e := newEnv(t, f, mail.Options{})
	var ok atomic.Bool
	var tries atomic.Int64
	e.svc = mail.NewService(mail.Options{
		Store:  failingHeartbeat{MailStore: e.store, ok: &ok, tries: &tries},
		Sealer: e.sealer, Sender: f, Poll: 20 * time.Millisecond,
	})
	id, msgID := e.queue("fay@example.test", mail.Content{Subject: "Receipt", Text: "Thanks."})
	e.start()
	deadline := time.Now().Add(30 * time.Second)
	for tries.Load() < 3 { // three refused heartbeats, three chances to claim wrongly
		if time.Now().After(deadline) {
			t.Fatal("the worker did not retry its heartbeat")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r := e.row(id); r.Status != "queued" || f.count(msgID) != 0 {
		t.Fatalf("claimed without a heartbeat: row %+v, delivered %d", r, f.count(msgID))
	}
	ok.Store(true)
	e.waitRow(id, 30*time.Second, func(r row) bool { return r.Status == "sent" })
}
