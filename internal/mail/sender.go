package mail

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/candor-dev/candor/internal/pii"
)

// Message is one message ready for the relay.
type Message struct {
	OutboxID  int64  // the ledger row, for the adapter's own bookkeeping; never sent
	MessageID string // "<…@…>", the same on every attempt
	To        pii.Email
	Date      time.Time
	Campaign  bool // a campaign message: always multipart/alternative, text and HTML
	Content
}

// Sender delivers messages to the relay (smtp.Relay). Send may be called from many
// goroutines at once. A failure is a *SendError; any other error counts as a temporary
// failure while connecting.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// Renderer renders a campaign message for one subscriber at send time: the recipient
// and the content (newsletter.Campaigns implements it). It returns ErrSkip, or an
// errs.NotFound error, when the message is no longer to be sent (the subscriber left,
// the address is suppressed); the row is then cancelled.
type Renderer interface {
	RenderMessage(ctx context.Context, campaignID, subscriberID int64) (pii.Email, Content, error)
}

// RendererFunc adapts a function to a Renderer. It also lets the Service be built
// before the newsletter that renders for it, through a closure.
type RendererFunc func(ctx context.Context, campaignID, subscriberID int64) (pii.Email, Content, error)

// RenderMessage calls f.
func (f RendererFunc) RenderMessage(ctx context.Context, campaignID, subscriberID int64) (pii.Email, Content, error) {
	return f(ctx, campaignID, subscriberID)
}

// ErrSkip tells the worker that a campaign message is no longer to be sent.
var ErrSkip = errors.New("mail: message no longer to be sent")

// Backoff is the delay before retry number attempt+1 (attempt counts the failures so
// far, from 0): base doubled per failure, capped at max, with equal jitter (a uniformly
// random point in the upper half), so that retries of many messages spread out.
func Backoff(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}
