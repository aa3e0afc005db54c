package promises

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/audit"
)

// Setup is what the checks need to know of the running configuration.
type Setup struct {
	PublicAddr    bool   // the listen address is not loopback (0.0.0.0, a public or private address)
	KeysInDataDir bool   // the data keys are read from, or were generated into, the data directory
	KeysWhere     string // where the keys come from, for the message ("DATA-DIR/keys", "CANDOR_KEYS")
	TLS           bool   // Candor terminates TLS itself (--tls-cert or --acme-domain)
	HTTPSURL      bool   // the public URL is https (a proxy in front terminates TLS)
}

// Destination is one outside host Candor connects to, and whether the allowlist of
// outbound connections permits it.
type Destination struct {
	What    string // "SMTP relay", "card processor", …
	Host    string // host:port or URL host; never a password
	Allowed bool
	Why     string // why it is refused, when it is
}

// Data reads the stored data for the checks (sqldb.PromiseStore).
type Data interface {
	// Overdue counts the records that retention rule should have removed or blanked
	// by before; an error for a rule it has no query for.
	Overdue(ctx context.Context, rule string, before time.Time) (int64, error)
	// Values calls fn with every non-empty value of table.column, as bytes.
	Values(ctx context.Context, table, column string, fn func([]byte) error) error
	// TextColumns lists the columns of the tables that hold text or bytes.
	TextColumns(ctx context.Context, tables []string) ([][2]string, error)
	// QueuedBefore counts transactional mails still queued or sending that were
	// queued before the time.
	QueuedBefore(ctx context.Context, before time.Time) (int64, error)
}

// Chain verifies the audit log's hash chain (audit.Log).
type Chain interface {
	Verify(ctx context.Context) (n int64, problem *audit.Problem, err error)
}

// Inputs are everything one run reads.
type Inputs struct {
	Now   func() time.Time // the clock; time.Now
	Setup Setup
	// Periods is the configured period of each time-bound retention rule (by rule
	// name); a rule not listed, or with 0, is not time-bound in this configuration.
	Periods map[string]time.Duration
	// Grace is how late the retention job may be before a record counts as overdue.
	Grace time.Duration
	// Files are the roots scanned for card numbers: the data directory and whatever
	// else Candor writes.
	Files []string
	// Skip are files the scan must never open: the open SQLite database's own files
	// (database, WAL, shared memory, journal). Closing any descriptor of them would drop
	// every POSIX lock SQLite holds in this process, after which another process (a
	// `candor stats` beside `serve`) can delete the WAL that serve still writes to; their
	// content is read through the database instead (ReadTables).
	Skip []string
	// ReadTables reads every text column through the database for card numbers too:
	// always on SQLite (its files are in Skip) and on PostgreSQL (whose files are not
	// Candor's to read).
	ReadTables bool
	// Egress are the destinations Candor may connect to (EgressDestinations).
	Egress []Destination
	// MailLimit is how long a transactional mail may stay queued (mail.DeadAfter).
	MailLimit time.Duration
	Data      Data
	Chain     Chain
}

func (in *Inputs) now() time.Time {
	if in.Now == nil {
		return time.Now().UTC()
	}
	return in.Now().UTC()
}
