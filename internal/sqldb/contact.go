package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/staff"
)

// ContactStore keeps contact conversations and their messages; it implements
// contact.Store. Authorization is the domain's, not this adapter's.
type ContactStore struct{ DB *DB }

var _ contact.Store = ContactStore{}

func scanConversation(sc interface{ Scan(...any) error }, lastIn bool) (contact.Record, error) {
	var r contact.Record
	var signals string
	var created, updated, changed int64
	dest := []any{&r.ID, &r.Folder, &r.AssigneeID, &r.EmailIndex, &r.EmailSealed, &r.NameSealed, &r.SubjectSealed,
		&r.Topic, &r.SpamScore, &signals, &r.ThreadID, &created, &updated, &changed}
	if lastIn {
		dest = append(dest, &r.LastInSealed)
	}
	if err := sc.Scan(dest...); err != nil {
		return r, translate(err)
	}
	if signals != "" {
		r.Signals = strings.Split(signals, ",")
	}
	r.CreatedAt, r.UpdatedAt, r.FolderChangedAt = millis(created), millis(updated), millis(changed)
	return r, nil
}

// Create inserts a conversation, its first message and its notifications in one
// transaction, group committed with concurrent submissions (see DB.Batch).
func (s ContactStore) Create(ctx context.Context, c contact.Record, first contact.MessageRecord, notify func(id int64) ([]mail.Queued, error)) (id int64, err error) {
	err = s.DB.Batch(ctx, func(tx *Tx) error {
		id, err = InsertID(ctx, tx, query("create-conversation"),
			string(c.Folder), c.EmailIndex, c.EmailSealed, c.NameSealed, c.SubjectSealed, c.Topic, c.SpamScore,
			strings.Join(c.Signals, ","), c.ThreadID, toMillis(c.CreatedAt), toMillis(c.UpdatedAt), toMillis(c.FolderChangedAt))
		if err != nil {
			return err
		}
		first.ConversationID = id
		if err := insertContactMessage(ctx, tx, first); err != nil {
			return err
		}
		if notify == nil {
			return nil
		}
		mails, err := notify(id)
		if err != nil {
			return err
		}
		for _, q := range mails {
			if _, err := InsertOutbox(ctx, tx, q); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

func insertContactMessage(ctx context.Context, tx *Tx, m contact.MessageRecord) error {
	var author any
	if m.AuthorID != 0 {
		author = m.AuthorID
	}
	_, err := tx.Exec(ctx, query("add-first-message"), m.ConversationID, string(m.Kind), m.BodySealed, author, m.MessageID, toMillis(m.CreatedAt))
	return err
}

// Conversations returns one page of conversations, newest activity first, and the
// number of matching rows.
func (s ContactStore) Conversations(ctx context.Context, f contact.Filter) ([]contact.Record, int, error) {
	var w filter
	if f.Folder != "" {
		w.add("c.folder = ?", string(f.Folder))
	}
	if f.AssigneeID == contact.Unassigned {
		w.add("c.assignee_id IS NULL")
	} else if f.AssigneeID != 0 {
		w.add("c.assignee_id = ?", f.AssigneeID)
	}
	if f.EmailIndex != "" {
		w.add("c.email_index = ?", f.EmailIndex)
	}
	var total int
	q, args := w.fill(query("count-conversations"))
	if err := s.DB.QueryRow(ctx, q, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = contact.DefaultPerPage
	}
	q, args = w.fill(query("conversations"), limit, max(f.Offset, 0))
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []contact.Record
	for rows.Next() {
		r, err := scanConversation(rows, true)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, translate(rows.Err())
}

// Conversation returns one conversation; not_found when there is none.
func (s ContactStore) Conversation(ctx context.Context, id int64) (contact.Record, error) {
	return scanConversation(s.DB.QueryRow(ctx, query("conversation"), id), false)
}

// Messages returns a conversation's messages, oldest first.
func (s ContactStore) Messages(ctx context.Context, conversationID int64) ([]contact.MessageRecord, error) {
	rows, err := s.DB.Query(ctx, query("conversation-messages"), conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []contact.MessageRecord
	for rows.Next() {
		var m contact.MessageRecord
		var at int64
		if err := rows.Scan(&m.ID, &m.ConversationID, &m.Kind, &m.BodySealed, &m.AuthorID, &m.MessageID, &at); err != nil {
			return nil, translate(err)
		}
		m.CreatedAt = millis(at)
		out = append(out, m)
	}
	return out, translate(rows.Err())
}

// Counts returns the number of conversations per folder (absent folders are empty).
func (s ContactStore) Counts(ctx context.Context) (map[contact.Folder]int, error) {
	rows, err := s.DB.Query(ctx, query("folder-counts"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[contact.Folder]int{}
	for rows.Next() {
		var f contact.Folder
		var n int
		if err := rows.Scan(&f, &n); err != nil {
			return nil, translate(err)
		}
		out[f] = n
	}
	return out, translate(rows.Err())
}

// Move files conversations into a folder; retention restarts for those that move.
func (s ContactStore) Move(ctx context.Context, ids []int64, to contact.Folder, at time.Time) (int64, error) {
	return s.updateIDs(ctx, query("move-conversations"),
		[]any{string(to), toMillis(at), string(to)}, ids)
}

// Assign sets or (staffID 0) clears the assignee.
func (s ContactStore) Assign(ctx context.Context, ids []int64, staffID int64, at time.Time) (int64, error) {
	var v any
	if staffID != 0 {
		v = staffID
	}
	return s.updateIDs(ctx, query("assign-conversations"), []any{v}, ids)
}

// updateIDs runs stmt (with an "id IN (?/*ids*/)" list) for ids, in chunks, in one
// transaction.
func (s ContactStore) updateIDs(ctx context.Context, stmt string, args []any, ids []int64) (int64, error) {
	var total int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		total = 0
		for start := 0; start < len(ids); start += inListBatch {
			chunk := ids[start:min(len(ids), start+inListBatch)]
			a := append([]any{}, args...)
			for _, id := range chunk {
				a = append(a, id)
			}
			res, err := tx.Exec(ctx, list(stmt, "ids", len(chunk)), a...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return translate(err)
			}
			total += n
		}
		return nil
	})
	return total, err
}

// AddMessage appends a message, queues out in the same transaction and, when to is
// not "", files the conversation there. The conversation's activity time moves.
func (s ContactStore) AddMessage(ctx context.Context, m contact.MessageRecord, out []mail.Queued, to contact.Folder) (int64, error) {
	var id int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		at := toMillis(m.CreatedAt)
		var err error
		if to != "" {
			err = Affected(tx.Exec(ctx, query("reopen-conversation"),
				at, string(to), at, string(to), m.ConversationID))
		} else {
			err = Affected(tx.Exec(ctx, query("touch-conversation"), at, m.ConversationID))
		}
		if err != nil {
			return err
		}
		var author any
		if m.AuthorID != 0 {
			author = m.AuthorID
		}
		id, err = InsertID(ctx, tx, query("add-message"), m.ConversationID, string(m.Kind), m.BodySealed, author, m.MessageID, at)
		if err != nil {
			return err
		}
		for _, q := range out {
			if _, err := InsertOutbox(ctx, tx, q); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// Purge hard-deletes the conversations of a folder (their messages cascade) whose
// folder changed before the cut-off, and the outbox rows of their replies.
func (s ContactStore) Purge(ctx context.Context, folder contact.Folder, before time.Time) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		// The replies' copies in the outbox (sealed recipient and text) go too: they are
		// tied to the conversation only by their Message-ID.
		if _, err := tx.Exec(ctx, query("purge-contact-outbox"),
			string(folder), toMillis(before)); err != nil {
			return err
		}
		// Messages first: no reliance on ON DELETE CASCADE being enforced.
		if _, err := tx.Exec(ctx, query("purge-contact-messages"), string(folder), toMillis(before)); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, query("purge-conversations"), string(folder), toMillis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return translate(err)
	})
	return n, err
}

// StaffEmails returns the sealed emails of active staff members with one of roles.
func (s ContactStore) StaffEmails(ctx context.Context, roles []staff.Role) ([]string, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	args := make([]any, len(roles))
	for i, r := range roles {
		args[i] = string(r)
	}
	rows, err := s.DB.Query(ctx, list(query("staff-emails"), "roles", len(roles)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, translate(err)
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// StaffRole returns a member's role and whether they are active.
func (s ContactStore) StaffRole(ctx context.Context, id int64) (staff.Role, bool, error) {
	var role staff.Role
	var disabled sql.NullInt64
	err := s.DB.QueryRow(ctx, query("staff-role"), id).Scan(&role, &disabled)
	return role, !disabled.Valid, err
}
