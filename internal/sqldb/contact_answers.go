package sqldb

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
)

// ConversationByMessageID returns the conversation a mail with one of these Message-IDs
// belongs to: the first id that is a reply's (contact_messages.message_id of kind out)
// or a thread's root (contact_conversations.thread_id). not_found when none is. One
// query whatever the number of ids (a References chain can hold twenty).
func (s ContactStore) ConversationByMessageID(ctx context.Context, ids []string) (contact.Record, error) {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == "" })
	notFound := errs.E(errs.NotFound, "No conversation has that Message-ID.")
	if len(ids) == 0 {
		return contact.Record{}, notFound
	}
	args := make([]any, 0, 2*len(ids))
	for _, id := range append(slices.Clone(ids), ids...) { // the JOIN's list, then the WHERE's
		args = append(args, id)
	}
	rows, err := s.DB.Query(ctx, list(query("conversation-by-message-id"), "ids", len(ids)), args...)
	if err != nil {
		return contact.Record{}, err
	}
	defer rows.Close()
	found := map[string]contact.Record{} // by the id that found it
	for rows.Next() {
		var reply sql.NullString
		r, err := scanConversation(prefixed{rows, &reply}, false)
		if err != nil {
			return contact.Record{}, err
		}
		found[r.ThreadID] = r
		if reply.Valid {
			found[reply.String] = r
		}
	}
	if err := translate(rows.Err()); err != nil {
		return contact.Record{}, err
	}
	for _, id := range ids {
		if r, ok := found[id]; ok {
			return r, nil
		}
	}
	return contact.Record{}, notFound
}

// prefixed scans a row's first column into first and the rest where its caller says.
type prefixed struct {
	sc    interface{ Scan(...any) error }
	first any
}

func (p prefixed) Scan(rest ...any) error { return p.sc.Scan(append([]any{p.first}, rest...)...) }

// InboundStore remembers how far each inbound mailbox has been read (imapin.State).
type InboundStore struct{ DB *DB }

// Position returns the UIDVALIDITY and last UID read of source; zeros when it was never read.
func (s InboundStore) Position(ctx context.Context, source string) (validity, last uint32, err error) {
	var v, l int64
	err = s.DB.QueryRow(ctx, query("inbound-position"), source).Scan(&v, &l)
	if err = translate(err); errs.Is(err, errs.NotFound) {
		return 0, 0, nil
	}
	return uint32(v), uint32(l), err
}

// SetPosition records the UIDVALIDITY and last UID read of source.
func (s InboundStore) SetPosition(ctx context.Context, source string, validity, last uint32) error {
	_, err := s.DB.Exec(ctx, query("set-inbound-position"),
		source, int64(validity), int64(last), toMillis(time.Now()))
	return err
}
