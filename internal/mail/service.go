package mail

import (
	"context"
	"log/slog"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Options configure a Service. Store and Sealer are required; the rest have defaults.
type Options struct {
	Store    Store
	Sealer   Sealer   // opens transactional rows
	Sender   Sender   // the relay; nil when none is configured: nothing is ever sent
	Renderer Renderer // renders campaign rows; nil: campaign rows wait
	Log      *slog.Logger

	Rate        float64       // messages per second through the relay, all campaigns and mail together (--smtp-rate); 0: unlimited
	Concurrency int           // messages in flight to the relay at once (match the relay's pool size); default 8
	Batch       int           // most rows per claim; default Rate × 1 s, within [Concurrency, 500]
	Lease       time.Duration // how long a claim holds its rows; default 2 min
	SendTimeout time.Duration // longest one send may take; default Lease/4, at most Lease/2
	Poll        time.Duration // how often to look for due mail between Notify calls; default 2 s
	Heartbeat   time.Duration // how often the worker renews its instance's heartbeat and reclaims dead claims; default 5 s (an instance silent for 3 heartbeats is dead)
	RetryBase   time.Duration // first retry delay after a temporary failure; default 1 min
	RetryMax    time.Duration // longest retry delay; default 1 h
	Now         func() time.Time
}

// StaleAfter is how many missed heartbeats make an instance dead: its claims are
// then freed.
const StaleAfter = 3

// Service is outgoing mail: other domains queue messages in the outbox inside their
// own transactions (sqldb.InsertOutbox) and call Notify; Run claims, sends and marks.
type Service struct {
	o      Options
	log    *slog.Logger
	wake   chan struct{}
	global *rate.Limiter

	mu       sync.Mutex
	campaign map[int64]*rate.Limiter // per-campaign token buckets (rate_per_second)
}

// NewService builds the mail service from its options.
func NewService(o Options) *Service {
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.Batch <= 0 {
		o.Batch = 500
		if o.Rate > 0 {
			o.Batch = min(500, max(o.Concurrency, int(math.Ceil(o.Rate))))
		}
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.SendTimeout <= 0 || o.SendTimeout > o.Lease/2 {
		o.SendTimeout = o.Lease / 4 // a send must fit well inside the lease
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 5 * time.Second
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Minute
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{o: o, log: o.Log, wake: make(chan struct{}, 1), campaign: map[int64]*rate.Limiter{}}
	s.global = rate.NewLimiter(rate.Inf, 0)
	if o.Rate > 0 {
		s.global = rate.NewLimiter(rate.Limit(o.Rate), max(1, min(o.Concurrency, int(o.Rate))))
	}
	return s
}

// Enabled reports whether a relay is configured. Without one, messages stay in the
// outbox, where staff can read them, marked as not sent.
func (s *Service) Enabled() bool { return s.o.Sender != nil }

// Notify wakes the worker: something was queued. It never blocks and may be called
// before Run or without a relay (then it does nothing).
func (s *Service) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends queued mail until ctx ends (call it once per Service), then finishes the sends in flight, puts the
// rest of its claimed rows back to queued and returns. Without a relay it returns at
// once: nothing is sent. Every Heartbeat the worker renews its instance's heartbeat and
// reclaims the claims of instances that are gone (silent for StaleAfter heartbeats, or
// the previous incarnation of a restarted instance: at once) and of expired leases, so
// a crash loses nothing and its unsent claims are free again within seconds; it
// repeats at most the messages handed to the relay and not yet recorded.
func (s *Service) Run(ctx context.Context) error {
	if s.o.Sender == nil {
		s.log.Info("mail: no relay configured (--smtp): messages stay in the outbox, not sent")
		return nil
	}
	return newWorker(s).run(ctx)
}

// campaignLimiter returns the token bucket of a rate-limited campaign, following
// changes of its rate.
func (s *Service) campaignLimiter(id int64, perSecond int) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.campaign[id]
	if !ok {
		l = rate.NewLimiter(rate.Limit(perSecond), 1)
		s.campaign[id] = l
	} else if l.Limit() != rate.Limit(perSecond) {
		l.SetLimit(rate.Limit(perSecond))
	}
	return l
}
