package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
)

// ConversationByMessageID returns the conversation a mail with one of these Message-IDs
// belongs to: the first id that is a reply's (contact_messages.message_id of kind out)
// or a thread's root (contact_conversations.thread_id). not_found when none is.
func (s ContactStore) ConversationByMessageID(ctx context.Context, ids []string) (contact.Record, error) {
	for _, id := range ids {
		if id == "" {
			continue
		}
		r, err := scanConversation(s.DB.QueryRow(ctx, "SELECT "+conversationColumns+` FROM contact_conversations c
			WHERE c.thread_id = ? OR c.id = (SELECT MIN(m.conversation_id) FROM contact_messages m WHERE m.message_id = ? AND m.kind = 'out')
			ORDER BY c.id LIMIT 1`, id, id), false)
		if !errs.Is(err, errs.NotFound) {
			return r, err
		}
	}
	return contact.Record{}, errs.E(errs.NotFound, "No conversation has that Message-ID.")
}

// InboundStore remembers how far each inbound mailbox has been read (imapin.State).
type InboundStore struct{ DB *DB }

// Position returns the UIDVALIDITY and last UID read of source; zeros when it was never read.
func (s InboundStore) Position(ctx context.Context, source string) (validity, last uint32, err error) {
	var v, l int64
	err = s.DB.QueryRow(ctx, "SELECT uid_validity, last_uid FROM mail_inbound_state WHERE source = ?", source).Scan(&v, &l)
	if err = translate(err); errs.Is(err, errs.NotFound) {
		return 0, 0, nil
	}
	return uint32(v), uint32(l), err
}

// SetPosition records the UIDVALIDITY and last UID read of source.
func (s InboundStore) SetPosition(ctx context.Context, source string, validity, last uint32) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO mail_inbound_state (source, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
		source, int64(validity), int64(last), toMillis(time.Now()))
	return err
}
