package sqldb

import (
	"context"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/audit"
)

// AuditStore keeps the audit chain; it implements audit.Store.
type AuditStore struct{ DB *DB }

// Append locks the head row (UPDATE … RETURNING takes the row lock on PostgreSQL; the
// SQLite writer is already exclusive), then writes the entry and the new head.
func (s AuditStore) Append(ctx context.Context, seal func(prevHead string, seq int64) (audit.Entry, string)) (audit.Entry, error) {
	var e audit.Entry
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var seq int64
		var prev string
		if err := tx.QueryRow(ctx, query("audit-next-seq")).Scan(&seq, &prev); err != nil {
			return err
		}
		var head string
		e, head = seal(prev, seq)
		if _, err := tx.Exec(ctx, query("audit-append"),
			e.Seq, e.At.UnixMilli(), e.Actor, e.Action, e.Subject, audit.EncodeDetail(e.Detail), e.PrevHash, e.Hash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, query("audit-set-head"), head)
		return err
	})
	return e, err
}

func scanAudit(sc interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	var detail string
	if err := sc.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &detail, &e.PrevHash, &e.Hash); err != nil {
		return e, translate(err)
	}
	e.At = time.UnixMilli(at).UTC()
	e.Detail = map[string]string{}
	_ = json.Unmarshal([]byte(detail), &e.Detail) // a tampered detail fails Verify, not List
	return e, nil
}

// List returns entries matching f, newest first.
func (s AuditStore) List(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	var w filter
	if f.Actor != "" {
		w.add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		// A plain prefix, compared exactly: LIKE would take "_" as a wildcard, and is
		// case-insensitive on SQLite but case-sensitive on PostgreSQL.
		w.add("substr(action, 1, ?) = ?", utf8.RuneCountInString(f.Action), f.Action)
	}
	if f.Subject != "" {
		w.add("subject = ?", f.Subject)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		w.add("at < ?", f.To.UnixMilli())
	}
	if f.BeforeSeq > 0 {
		w.add("seq < ?", f.BeforeSeq)
	}
	q, args := w.fill(query("audit-list"), f.Limit)
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// Walk reads the head and every entry in one read-only snapshot (REPEATABLE READ on
// PostgreSQL; on SQLite in WAL mode a read transaction sees one snapshot), so entries
// appended meanwhile are not seen at all and cannot be mistaken for a broken head, while
// a row past the head (one written outside Append, such as a forged entry) is walked,
// and fails Verify, instead of being skipped.
func (s AuditStore) Walk(ctx context.Context, fn func(audit.Entry) error) (int64, string, error) {
	sqlTx, err := s.DB.read.BeginTx(ctx, s.DB.Dialect.snapshot())
	if err != nil {
		return 0, "", translate(err)
	}
	defer func() { _ = sqlTx.Rollback() }() // read-only: nothing to commit
	tx := &Tx{tx: sqlTx, dialect: s.DB.Dialect}
	var seq int64
	var hash string
	if err := tx.QueryRow(ctx, query("audit-head")).Scan(&seq, &hash); err != nil {
		return 0, "", err
	}
	rows, err := tx.Query(ctx, query("audit-walk"))
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return 0, "", err
		}
		if err := fn(e); err != nil {
			return 0, "", err
		}
	}
	return seq, hash, translate(rows.Err())
}
