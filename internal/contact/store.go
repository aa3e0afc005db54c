package contact

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/staff"
)

// Store is everything the contact Service needs from storage: NewService takes one
// value for all of its roles, which sqldb.ContactStore fills. Each role is its own
// interface so that a reader sees which part of the service uses what. Not-found is
// errs.NotFound.
type Store interface {
	InboxStore
	ThreadStore
	StaffDirectory
	RetentionStore
}

// InboxStore reads conversations and files them (inbox.go, export.go, reply.go).
type InboxStore interface {
	// Conversations returns the rows f selects, newest activity first, with
	// LastInSealed, and how many rows match without Limit and Offset.
	Conversations(ctx context.Context, f Filter) ([]Record, int, error)
	Conversation(ctx context.Context, id int64) (Record, error)
	Messages(ctx context.Context, conversationID int64) ([]MessageRecord, error)
	Counts(ctx context.Context) (map[Folder]int, error)
	// Move files the conversations into folder and returns how many moved.
	Move(ctx context.Context, ids []int64, to Folder, at time.Time) (int64, error)
	// Assign sets (0: clears) the assignee and returns how many changed.
	Assign(ctx context.Context, ids []int64, staffID int64, at time.Time) (int64, error)
}

// ThreadStore writes conversations and their messages, with the mail they send in the
// same transaction: a form's new conversation (receive.go), a reply or a note
// (reply.go, inbox.go) and an answer by mail (answers.go).
type ThreadStore interface {
	// Create inserts the conversation and its first message, then queues the mails
	// notify returns for the new conversation's id, all in one transaction.
	Create(ctx context.Context, c Record, first MessageRecord, notify func(id int64) ([]mail.Queued, error)) (int64, error)
	// AddMessage appends a message, queues the mails out in the same transaction, and
	// when to is not "" files the conversation there. A message whose MessageID (not "")
	// the conversation already has is refused with errs.Conflict.
	AddMessage(ctx context.Context, m MessageRecord, out []mail.Queued, to Folder) (int64, error)
	// ConversationByMessageID returns the conversation a mail with one of these
	// Message-IDs belongs to (a reply's, or the thread's root); the first id found wins.
	ConversationByMessageID(ctx context.Context, ids []string) (Record, error)
}

// StaffDirectory answers who on the staff is notified of new messages and who may be
// assigned one (receive.go, inbox.go).
type StaffDirectory interface {
	// StaffEmails returns the sealed emails (staff.SealEmail) of the active members
	// whose role is one of roles.
	StaffEmails(ctx context.Context, roles []staff.Role) ([]string, error)
	// StaffRole returns a member's role and whether they are active.
	StaffRole(ctx context.Context, id int64) (staff.Role, bool, error)
}

// RetentionStore deletes what is kept past its time (retention.go).
type RetentionStore interface {
	// Purge hard-deletes the conversations of folder whose folder changed before t.
	Purge(ctx context.Context, folder Folder, before time.Time) (int64, error)
}
