package contact

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/pii"
)

// Folder is where a conversation is filed.
type Folder string

// The folders.
const (
	New     Folder = "new"     // arrived, nobody has looked at it yet
	Open    Folder = "open"    // being worked on
	Waiting Folder = "waiting" // answered; waiting for the person
	Closed  Folder = "closed"  // done; deleted after the closed retention
	Spam    Folder = "spam"    // content heuristics said spam; deleted after the spam retention
	Review  Folder = "review"  // nothing vouched for the sender (no JavaScript): needs review
)

// Folders lists every folder in the order the inbox shows them.
var Folders = []Folder{New, Open, Waiting, Closed, Spam, Review}

// Valid reports whether f is one of Folders.
func (f Folder) Valid() bool {
	for _, x := range Folders {
		if x == f {
			return true
		}
	}
	return false
}

// Kind is the kind of a message in a conversation.
type Kind string

// The kinds.
const (
	In   Kind = "in"   // from the person: through the form, or an answer by mail
	Out  Kind = "out"  // a staff reply, mailed to the person
	Note Kind = "note" // an internal note, never mailed
)

// Conversation is a thread as staff see it: personal fields opened.
type Conversation struct {
	ID         int64
	Folder     Folder
	AssigneeID int64 // 0: unassigned
	Email      pii.Email
	Name       string
	Subject    string
	Topic      string
	SpamScore  int
	Signals    []string // names of the heuristics that fired; never text
	CreatedAt  time.Time
	UpdatedAt  time.Time // the newest activity
	Preview    string    // the start of the person's newest message (List only)
	Messages   []Message // oldest first (Get only)
}

// Message is one message of a conversation.
type Message struct {
	ID        int64
	Kind      Kind
	Body      string
	AuthorID  int64  // the staff member of a reply or note; 0 for In
	MessageID string // the mail Message-ID of a reply; a keyed hash of an answer by mail's; "" otherwise
	CreatedAt time.Time
}

// ByMail reports whether the message is the person's answer by mail (read from the
// mailbox, see ReceiveAnswer) rather than what they wrote through the form.
func (m Message) ByMail() bool { return m.Kind == In && m.MessageID != "" }

// Unassigned, as Query.AssigneeID, selects conversations nobody is assigned to.
const Unassigned int64 = -1

// Query selects conversations for the inbox; zero fields select everything.
type Query struct {
	Folder     Folder // "" for every folder
	AssigneeID int64  // 0 for anyone, Unassigned for nobody
	// Search is an exact email address (found by blind index) or else a
	// case-insensitive substring of the subject, the name or the person's message,
	// searched over the newest SearchCap conversations of the folder.
	Search  string
	Page    int // 1-based; default 1
	PerPage int // default 50, at most 200
}

// SearchCap is how many of a folder's newest conversations a text search opens in
// memory (the text is sealed, so the database cannot search it).
const SearchCap = 2000

// Record is a conversation row as stored: personal fields sealed.
type Record struct {
	ID              int64
	Folder          Folder
	AssigneeID      int64
	EmailIndex      string
	EmailSealed     string
	NameSealed      string
	SubjectSealed   string
	Topic           string
	SpamScore       int
	Signals         []string
	ThreadID        string // the Message-ID that roots the mail thread
	CreatedAt       time.Time
	UpdatedAt       time.Time
	FolderChangedAt time.Time
	LastInSealed    string // the body of the person's newest message (list queries only)
}

// MessageRecord is a message row as stored: the body sealed.
type MessageRecord struct {
	ID             int64
	ConversationID int64
	Kind           Kind
	BodySealed     string
	AuthorID       int64
	MessageID      string
	CreatedAt      time.Time
}

// Filter selects rows for Store.Conversations.
type Filter struct {
	Folder     Folder // "" for all
	AssigneeID int64  // 0 for anyone
	EmailIndex string // "" for any sender
	Limit      int
	Offset     int
}

// Sealer seals personal fields and computes blind indexes (pii.Sealer).
type Sealer interface {
	SealString(context, plaintext string) (string, error)
	OpenString(context, sealed string) (string, error)
	Index(purpose, value string) string
}

// Auditor appends to the audit log.
type Auditor interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}

// Notifier wakes the mail worker after something was queued.
type Notifier interface{ Notify() }

// Sealing contexts and the index purpose of contact fields.
const (
	SealEmail   = "contact.email"
	SealName    = "contact.name"
	SealSubject = "contact.subject"
	SealBody    = "contact.body"
	indexEmail  = "contact.email"
	indexAnswer = "contact.answer" // an answer by mail's Message-ID, to store it once
)

// Options configure the service.
type Options struct {
	PublicURL       string        // base of the inbox link in notifications, no trailing slash
	MailDomain      string        // the sender's domain, for Message-IDs
	ReplyTo         string        // optional Reply-To address of replies ("" for none)
	RetentionSpam   time.Duration // spam is deleted after this (default 30 days)
	RetentionReview time.Duration // "needs review" is deleted after this (default 30 days)
	RetentionClosed time.Duration // closed conversations are deleted after this (default 1 year)
}

// Service is the contact domain.
type Service struct {
	store  Store
	sealer Sealer
	audit  Auditor
	notify Notifier
	opts   Options
	now    func() time.Time
}

// NewService builds the contact domain.
func NewService(store Store, sealer Sealer, auditor Auditor, notify Notifier, opts Options) *Service {
	if opts.RetentionSpam <= 0 {
		opts.RetentionSpam = 720 * time.Hour
	}
	if opts.RetentionReview <= 0 {
		opts.RetentionReview = 720 * time.Hour
	}
	if opts.RetentionClosed <= 0 {
		opts.RetentionClosed = 8760 * time.Hour
	}
	return &Service{store: store, sealer: sealer, audit: auditor, notify: notify, opts: opts, now: time.Now}
}

// Options returns the effective options.
func (s *Service) Options() Options { return s.opts }

// EmailIndex is the blind index of a normalised sender address (for rate limits).
func (s *Service) EmailIndex(normalized string) string { return s.sealer.Index(indexEmail, normalized) }
