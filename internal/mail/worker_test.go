package mail_test

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/testkit/seed"
)

// FaultySender is a fake relay, for the faults a real SMTP server cannot be made to
// produce on demand: a connection dropped in the middle of DATA, a send that hangs
// until shutdown, an exact clock of when each message went out. Everything else is
// tested against mailpit.
type FaultySender struct {
	mu    sync.Mutex
	sent  map[string]int       // Message-ID → deliveries
	at    map[string]time.Time // Message-ID → last delivery
	tries map[string]int       // Message-ID → attempts

	// Fail, when set, may fail attempt n (from 1) of a message.
	Fail func(m *mail.Message, n int) error
	// Hold, when set, makes every Send wait for it to close; Started then receives
	// one value per send that began.
	Hold    chan struct{}
	Started chan struct{}
}

func newFaulty() *FaultySender {
	return &FaultySender{sent: map[string]int{}, at: map[string]time.Time{}, tries: map[string]int{}}
}

func (f *FaultySender) Send(ctx context.Context, m *mail.Message) error {
	f.mu.Lock()
	f.tries[m.MessageID]++
	n := f.tries[m.MessageID]
	f.mu.Unlock()
	if f.Started != nil {
		f.Started <- struct{}{}
	}
	if f.Hold != nil {
		<-f.Hold
	}
	if f.Fail != nil {
		if err := f.Fail(m, n); err != nil {
			return err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent[m.MessageID]++
	f.at[m.MessageID] = time.Now()
	return nil
}

func (f *FaultySender) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sent[id]
}

func (f *FaultySender) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.sent {
		n += c
	}
	return n
}

func (e *env) statusCounts() map[string]int {
	e.t.Helper()
	rows, err := e.db.Query(context.Background(), "SELECT status, COUNT(*) FROM mail_outbox GROUP BY status")
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		_ = rows.Scan(&st, &n)
		out[st] = n
	}
	return out
}

// Promise: a connection dropped during DATA (no reply) is a temporary failure: the
// message is retried and sent.
func TestDroppedConnectionIsRetried(t *testing.T) {
	t.Parallel()
	f := newFaulty()
	f.Fail = func(m *mail.Message, n int) error {
		if n == 1 {
			return &mail.SendError{Stage: mail.StageData, Cause: io.ErrUnexpectedEOF}
		}
		return nil
	}
	e := newEnv(t, f, mail.Options{})
	e.start()
	id, msgID := e.queue("dan@example.test", mail.Content{Subject: "Licence key", Text: "Here it is."})
	r := e.waitRow(id, 10*time.Second, func(r row) bool { return r.Status == "sent" })
	if r.Attempts != 1 || r.LastError != "data temporary: unexpected EOF" || f.count(msgID) != 1 {
		t.Fatalf("row %+v, delivered %d", r, f.count(msgID))
	}
}

// Promise: on shutdown the worker finishes the sends in flight (and marks them), puts
// every other claimed row back to queued, and returns; no row is left 'sending'.
func TestShutdownFinishesInFlightAndLeavesTheRestQueued(t *testing.T) {
	t.Parallel()
	f := newFaulty()
	f.Hold, f.Started = make(chan struct{}), make(chan struct{}, 100)
	e := newEnv(t, f, mail.Options{Concurrency: 2, Batch: 20})
	if _, err := seed.Campaign(context.Background(), e.db, e.sealer, 50, 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.svc.Run(ctx) }()
	<-f.Started
	<-f.Started
	cancel()
	time.Sleep(100 * time.Millisecond)
	close(f.Hold)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	got := e.statusCounts()
	if got["sent"] != 2 || got["queued"] != 48 || got["sending"] != 0 || f.total() != 2 {
		t.Fatalf("after shutdown: %v, delivered %d; want 2 sent (in flight), 48 queued", got, f.total())
	}
}

// Promise: without a relay nothing is sent: Run returns at once and messages stay
// queued in the outbox.
func TestNoRelayNothingIsSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, mail.Options{})
	if e.svc.Enabled() {
		t.Fatal("Enabled without a relay")
	}
	id, _ := e.queue("eve@example.test", mail.Content{Subject: "Confirm", Text: "Please confirm."})
	done := make(chan error, 1)
	go func() { done <- e.svc.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run without a relay did not return")
	}
	if r := e.row(id); r.Status != "queued" || r.Attempts != 0 {
		t.Fatalf("row %+v", r)
	}
}

// Promise: a campaign's rate_per_second paces its messages (here 5/s), and a throttled
// campaign never holds up transactional mail queued meanwhile.
func TestCampaignRateDoesNotDelayTransactionalMail(t *testing.T) {
	t.Parallel()
	f := newFaulty()
	f.Started = make(chan struct{}, 100)
	e := newEnv(t, f, mail.Options{Concurrency: 2})
	camp, err := seed.Campaign(context.Background(), e.db, e.sealer, 15, 5)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.start()
	<-f.Started
	id, msgID := e.queue("fay@example.test", mail.Content{Subject: "Your receipt", Text: "Thanks."})
	e.waitRow(id, 10*time.Second, func(r row) bool { return r.Status == "sent" })
	e.waitCampaign(camp, "sent", 20*time.Second)
	elapsed := time.Since(start)
	if elapsed < 2500*time.Millisecond { // 15 messages at 5/s: 14 gaps of 200 ms
		t.Fatalf("15 messages at 5/s went out in %s", elapsed)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	later := 0
	for mid, at := range f.at {
		if mid != msgID && at.After(f.at[msgID]) {
			later++
		}
	}
	if later < 5 {
		t.Fatalf("the transactional message waited behind the campaign (%d campaign messages after it)", later)
	}
}

// Promise: a message that keeps failing temporarily becomes a dead letter once
// mail.DeadAfter (72 h) has passed since its first failure, and is never tried again.
func TestDeadAfter72Hours(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	f := newFaulty()
	f.Fail = func(*mail.Message, int) error {
		return &mail.SendError{Stage: mail.StageRcpt, Code: 451, Enhanced: "4.7.1"}
	}
	e := newEnv(t, f, mail.Options{Now: now, RetryBase: time.Hour, RetryMax: 10 * time.Hour})
	e.start()
	id, _ := e.queue("gus@example.test", mail.Content{Subject: "Receipt", Text: "Thanks."})
	e.waitRow(id, 10*time.Second, func(r row) bool { return r.Attempts == 1 })
	offset.Store(int64(71 * time.Hour))
	e.svc.Notify()
	r := e.waitRow(id, 10*time.Second, func(r row) bool { return r.Attempts == 2 })
	if r.Status != "queued" {
		t.Fatalf("after 71 h: %+v; want still retried", r)
	}
	offset.Store(int64(73 * time.Hour))
	e.svc.Notify()
	r = e.waitRow(id, 10*time.Second, func(r row) bool { return r.Status != "queued" && r.Status != "sending" })
	if r.Status != "dead" || r.Attempts != 3 || r.LastError != "rcpt 451 4.7.1 temporary" {
		t.Fatalf("after 73 h: %+v; want dead", r)
	}
}

// Promise: a campaign message whose recipient left meanwhile (the renderer says
// ErrSkip) is cancelled, not sent, and does not hold up the campaign's completion.
func TestSkippedRecipientIsCancelled(t *testing.T) {
	t.Parallel()
	f := newFaulty()
	skip := mail.RendererFunc(func(ctx context.Context, c, s int64) (pii.Email, mail.Content, error) {
		return pii.Email{}, mail.Content{}, mail.ErrSkip
	})
	e := newEnv(t, f, mail.Options{Renderer: skip})
	camp, err := seed.Campaign(context.Background(), e.db, e.sealer, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.start()
	e.waitCampaign(camp, "sent", 10*time.Second)
	if c, _ := e.store.CampaignCounts(context.Background(), camp); c != (mail.Counts{Cancelled: 3}) || f.total() != 0 {
		t.Fatalf("counts %+v, delivered %d", c, f.total())
	}
}

// Promise: --smtp-rate is one token bucket for everything the worker sends.
func TestGlobalRate(t *testing.T) {
	t.Parallel()
	f := newFaulty()
	e := newEnv(t, f, mail.Options{Rate: 20, Concurrency: 4})
	if _, err := seed.Campaign(context.Background(), e.db, e.sealer, 30, 0); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.start()
	for f.total() < 30 {
		time.Sleep(10 * time.Millisecond)
		if time.Since(start) > 20*time.Second {
			t.Fatalf("sent %d of 30", f.total())
		}
	}
	if elapsed := time.Since(start); elapsed < 1100*time.Millisecond { // burst of 4, then 26 at 20/s
		t.Fatalf("30 messages at 20/s went out in %s", elapsed)
	}
}
