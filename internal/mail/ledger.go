package mail

import (
	"context"
	"time"
)

// Status is where an outbox row is in its life. A row moves queued → sending (claimed
// under a lease) → sent, failed, dead or cancelled; a temporary failure or an expired
// lease puts it back to queued.
type Status string

// The outbox states (the CHECK constraint of mail_outbox.status).
const (
	StatusQueued    Status = "queued"
	StatusSending   Status = "sending"
	StatusSent      Status = "sent"
	StatusFailed    Status = "failed"    // a permanent (5xx) refusal
	StatusDead      Status = "dead"      // temporary failures for DeadAfter: given up
	StatusCancelled Status = "cancelled" // no longer to be sent (e.g. the recipient unsubscribed)
)

// DeadAfter is how long a message keeps being retried after its first temporary
// failure before it becomes a dead letter.
const DeadAfter = 72 * time.Hour

// ClaimWindow bounds what one claim takes of a rate-limited campaign: at most
// rate_per_second × ClaimWindow rows, so a slow campaign's claimed rows are sent well
// within their lease.
const ClaimWindow = 2 * time.Second

// Claimed is an outbox row claimed for sending: status 'sending' until LeaseUntil.
type Claimed struct {
	ID            int64
	Purpose       string
	CampaignID    int64 // 0 for transactional mail
	SubscriberID  int64
	CampaignRate  int    // the campaign's messages per second; 0: as fast as the relay allows
	ToSealed      string // transactional rows: the sealed recipient and content
	ContentSealed string
	MessageID     string
	Attempts      int
	FirstFailure  time.Time // zero until the first temporary failure
	LeaseUntil    time.Time
}

// Retry reschedules a claimed row after a temporary failure.
type Retry struct {
	ID         int64
	LeaseUntil time.Time // the claim's lease: a row claimed again since is left alone
	At         time.Time // next attempt
	Error      string    // SMTP code and class only
}

// Failure settles a claimed row for good: StatusFailed, StatusDead or StatusCancelled.
type Failure struct {
	ID         int64
	LeaseUntil time.Time // the claim's lease: a row claimed again since is left alone
	Status     Status
	Error      string // SMTP code and class only
	HardBounce bool   // suppress the recipient's address (reason hard_bounce)
}

// Counts are a campaign's aggregate delivery figures, computed from the ledger. There
// is never a per-recipient figure.
type Counts struct {
	Queued, Sending, Sent, Failed, Bounced, Dead, Cancelled int
}

// Total is the number of messages in the ledger.
func (c Counts) Total() int {
	return c.Queued + c.Sending + c.Sent + c.Failed + c.Dead + c.Cancelled
}

// Store is the ledger the worker drives (sqldb.MailStore). Every method takes the
// current time so that tests control the clock.
type Store interface {
	// Claim marks up to n due rows 'sending' until now+lease and returns them:
	// transactional rows first, then rows of campaigns in status 'sending' (not those
	// listed in busy), each campaign at most rate_per_second × ClaimWindow rows. On
	// PostgreSQL it skips rows locked by other claimers, so no two workers or
	// instances ever hold the same row.
	Claim(ctx context.Context, now time.Time, n int, lease time.Duration, busy []int64) ([]Claimed, error)
	// MarkSent settles rows as sent and completes campaigns left with nothing to send.
	MarkSent(ctx context.Context, now time.Time, ids []int64) error
	// MarkRetry puts rows back to queued for a later attempt, attempts+1.
	MarkRetry(ctx context.Context, now time.Time, retries []Retry) error
	// MarkFailed settles rows as failed, dead or cancelled; a hard bounce adds the
	// recipient's blind index to the suppression list.
	MarkFailed(ctx context.Context, now time.Time, failures []Failure) error
	// Release puts claimed rows back to queued at once, unchanged (a worker shutting
	// down, or a row whose lease is too short to start a send).
	Release(ctx context.Context, rows []Claimed) error
	// Reclaim puts rows whose lease expired, or whose instance is gone (no heartbeat
	// for the stale time of Heartbeat, or an earlier incarnation of a restarted
	// instance), back to queued and completes campaigns left with nothing to send; it
	// returns how many rows it put back.
	Reclaim(ctx context.Context, now time.Time) (int, error)
	// Heartbeat records that this instance (the one whose claims this store makes) is
	// alive at now, and forgets the instances silent for longer than stale, and the
	// earlier incarnations of this one.
	Heartbeat(ctx context.Context, now time.Time, stale time.Duration) error
}
