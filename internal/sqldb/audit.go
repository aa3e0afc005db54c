package sqldb

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/audit"
)

// AuditStore keeps the audit chain; it implements audit.Store.
type AuditStore struct{ DB *DB }

// Append locks the head row (UPDATE … RETURNING takes the row lock on PostgreSQL; the
// SQLite writer is already exclusive), then writes the entry and the new head.
func (s AuditStore) Append(ctx context.Context, e audit.Entry, seal func(prevHash string, seq int64) string) (audit.Entry, error) {
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var seq int64
		var prev string
		if err := tx.QueryRow(ctx, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").Scan(&seq, &prev); err != nil {
			return err
		}
		e.Hash = seal(prev, seq)
		e.Seq, e.PrevHash = seq, prev
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			seq, e.At.UnixMilli(), e.Actor, e.Action, e.Subject, audit.EncodeDetail(e.Detail), prev, e.Hash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE audit_head SET hash = ? WHERE id = 1", e.Hash)
		return err
	})
	return e, err
}

const auditColumns = "seq, at, actor, action, subject, detail, prev_hash, hash"

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
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		add("action LIKE ?", strings.ReplaceAll(f.Action, "%", "")+"%")
	}
	if f.Subject != "" {
		add("subject = ?", f.Subject)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UnixMilli())
	}
	if f.BeforeSeq > 0 {
		add("seq < ?", f.BeforeSeq)
	}
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC LIMIT ?"
	args = append(args, f.Limit)
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

// Walk reads the head first and then streams the entries up to it in order, so entries
// appended meanwhile are not mistaken for a broken head.
func (s AuditStore) Walk(ctx context.Context, fn func(audit.Entry) error) (int64, string, error) {
	var seq int64
	var hash string
	if err := s.DB.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash); err != nil {
		return 0, "", err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE seq <= ? ORDER BY seq", seq)
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
