package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
)

// Entry is one audit record.
type Entry struct {
	Seq      int64
	At       time.Time
	Actor    string            // "staff:3", "cli", "anonymous"
	Action   string            // e.g. "staff.signin", "subscriber.view"
	Subject  string            // the record concerned, e.g. "staff:4"; "" when none
	Detail   map[string]string // context without personal data
	PrevHash string
	Hash     string
}

// Filter selects entries for the viewer; zero fields match everything.
type Filter struct {
	Actor, Action, Subject string
	From, To               time.Time
	BeforeSeq              int64 // for paging backwards: only entries with Seq < BeforeSeq
	Limit                  int
}

// Store keeps the chain. Append runs in one transaction that reads the head (locking it
// against concurrent appends), gets the entry to store (sequence, link and hash set)
// and the new head from seal (given what the head holds) and stores both.
type Store interface {
	Append(ctx context.Context, seal func(prevHead string, seq int64) (Entry, string)) (Entry, error)
	List(ctx context.Context, f Filter) ([]Entry, error)
	// Walk calls fn for every entry in sequence order, then returns the head's seq and
	// hash, all read from one consistent snapshot (entries past the head included).
	Walk(ctx context.Context, fn func(Entry) error) (headSeq int64, headHash string, err error)
}

// MAC is a keyed hash (the installation's blind-index key, purpose-separated).
type MAC func(purpose, value string) string

// Log appends to and verifies the chain.
type Log struct {
	store Store
	mac   MAC
	now   func() time.Time
	cp    *checkpoint // nil: no checkpoint outside the database
}

// New returns a Log over store, chained with mac.
func New(store Store, mac MAC) *Log { return &Log{store: store, mac: mac, now: time.Now} }

// Record appends one entry. detail is an alternating list of keys and values.
//
// Actor, action and subject must be valid UTF-8 without zero bytes: the hash joins the
// fields with zero bytes, so one inside a field could shift text from one field into
// the next without changing the hash (and PostgreSQL refuses such text anyway, which
// SQLite would store). Detail is JSON-encoded, so any text is fine there.
func (l *Log) Record(ctx context.Context, actor, action, subject string, detail ...string) error {
	for _, s := range []string{actor, action, subject} {
		if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			return errs.E(errs.Invalid, "An audit entry's actor, action and subject must be text without zero bytes.")
		}
	}
	e := Entry{At: l.now().UTC().Truncate(time.Millisecond), Actor: actor, Action: action, Subject: subject, Detail: map[string]string{}}
	for i := 0; i+1 < len(detail); i += 2 {
		e.Detail[detail[i]] = detail[i+1]
	}
	if cp := l.cp; cp != nil {
		// The database numbers entries one at a time anyway; holding the turn until the
		// checkpoint is written notes them in that order, so a concurrent entry noted
		// after a newer one is not taken for a log behind its checkpoint.
		cp.turn.Lock()
		defer cp.turn.Unlock()
	}
	// The head stores the last hash and the keyed head; the store hands back what the
	// head holds and stores what seal returns.
	written, err := l.store.Append(ctx, func(prevHead string, seq int64) (Entry, string) {
		prev, _ := splitHead(prevHead)
		e.Seq, e.PrevHash = seq, prev
		e.Hash = l.hash(e)
		return e, l.keyedHead(seq, e.Hash)
	})
	if err == nil {
		l.note(written.Seq, written.Hash)
	}
	return err
}

// List returns entries matching f, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return l.store.List(ctx, f)
}

// hash is the chain MAC over the previous hash and every field, in a fixed encoding.
func (l *Log) hash(e Entry) string {
	return l.mac("audit-chain", strings.Join([]string{
		e.PrevHash, strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.UnixMilli(), 10),
		e.Actor, e.Action, e.Subject, EncodeDetail(e.Detail),
	}, "\x00"))
}

// EncodeDetail is the canonical JSON of a detail map (keys sorted), as stored.
func EncodeDetail(d map[string]string) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		vj, _ := json.Marshal(d[k])
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteByte('}')
	return b.String()
}

// Problem is a place where the chain does not verify.
type Problem struct {
	Seq    int64
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("entry %d: %s", p.Seq, p.Reason) }

// Verify walks the whole chain and returns the first problem found, or nil when every
// entry fits: sequence without gaps, each prev hash equal to its predecessor's hash, each
// hash recomputed equal, and the head pointing at the last entry (so rows removed from
// the end, and rows added past the head, are found too).
func (l *Log) Verify(ctx context.Context) (n int64, problem *Problem, err error) {
	var prevSeq int64
	prevHash := ""
	var cpSeq int64
	var cpHash string
	cpKnown := false
	if l.cp != nil {
		seq, hash, mac, err := readCheckpoint(l.cp.path)
		switch {
		case err == nil && mac != l.headMAC(seq, hash):
			return 0, &Problem{seq, "the checkpoint outside the database does not carry the key: it was edited or belongs to another installation"}, nil
		case err == nil:
			cpSeq, cpHash, cpKnown = seq, hash, true
		case !os.IsNotExist(err):
			return 0, nil, err
		}
	}
	headSeq, storedHead, err := l.store.Walk(ctx, func(e Entry) error {
		if problem != nil {
			return nil
		}
		n++
		switch {
		case e.Seq != prevSeq+1:
			problem = &Problem{e.Seq, fmt.Sprintf("follows entry %d: entries are missing", prevSeq)}
		case e.PrevHash != prevHash:
			problem = &Problem{e.Seq, "its link to the previous entry does not match"}
		case l.hash(e) != e.Hash:
			problem = &Problem{e.Seq, "its content was changed after it was written"}
		}
		if cpKnown && e.Seq == cpSeq && e.Hash != cpHash && problem == nil {
			problem = &Problem{e.Seq, "it differs from the checkpoint kept outside the database: the log was replaced or rolled back"}
		}
		prevSeq, prevHash = e.Seq, e.Hash
		return nil
	})
	if err != nil || problem != nil {
		return n, problem, err
	}
	headHash, headMAC := splitHead(storedHead)
	switch {
	case headSeq > prevSeq:
		return n, &Problem{prevSeq, fmt.Sprintf("the log ends at entry %d but its head records entry %d: entries were removed from the end", prevSeq, headSeq)}, nil
	case headSeq < prevSeq:
		return n, &Problem{prevSeq, fmt.Sprintf("the log goes on to entry %d but its head records entry %d: the head was moved back", prevSeq, headSeq)}, nil
	case headHash != prevHash:
		return n, &Problem{prevSeq, "the head does not match the last entry: the head or the entry was replaced"}, nil
	case headSeq > 0 && headMAC != l.headMAC(headSeq, headHash):
		return n, &Problem{prevSeq, "the head does not carry the key: it was written without it, so entries may have been cut from the end (a head written before keyed heads is keyed by the next entry)"}, nil
	case cpKnown && cpSeq > prevSeq:
		return n, &Problem{prevSeq, fmt.Sprintf("the log ends at entry %d but the checkpoint kept outside the database records entry %d: %d entries are missing (cut from the end, or the database was rolled back)", prevSeq, cpSeq, cpSeq-prevSeq)}, nil
	}
	return n, nil, nil
}
