package contact

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/textfield"
)

// Answer is a mail a person sent in answer to a reply (read from the inbox's mailbox by
// package imapin): its sender, the Message-IDs it refers to, and its new text.
type Answer struct {
	MessageID  string   // the mail's own Message-ID ("" when it has none); stored only as a keyed hash
	References []string // In-Reply-To and References
	From       string
	Date       time.Time
	Text       string
}

// AnswerOutcome is what ReceiveAnswer did with an answer.
type AnswerOutcome string

// The outcomes.
const (
	AnswerAdded     AnswerOutcome = "added"      // appended to its conversation, which is open again
	AnswerDuplicate AnswerOutcome = "duplicate"  // the conversation has it already
	AnswerNoThread  AnswerOutcome = "no_thread"  // it refers to no conversation (or one deleted since)
	AnswerStranger  AnswerOutcome = "stranger"   // not from the person who wrote the conversation
	AnswerNoText    AnswerOutcome = "unreadable" // no text left that the inbox can show
)

// ReceiveAnswer appends a person's answer to the conversation it refers to, and files
// the conversation under Open, notifying the members who may read the inbox (a link
// only, as for a new message). Only the person who wrote the conversation can answer
// it: a mail from any other address (who may have learnt a Message-ID) is left out, as
// is a mail the conversation has already (by Message-ID; a mail without one gets an id
// from its sender, date and text, so that reading the mailbox again adds nothing).
// The outcome says which; the error is for storage failures only.
func (s *Service) ReceiveAnswer(ctx context.Context, a Answer) (AnswerOutcome, error) {
	rec, err := s.store.ConversationByMessageID(ctx, a.References)
	switch {
	case errs.Is(err, errs.NotFound):
		return AnswerNoThread, nil
	case err != nil:
		return "", err
	}
	from, err := pii.NormalizeEmail(a.From)
	if err != nil || s.EmailIndex(from) != rec.EmailIndex {
		return AnswerStranger, nil
	}
	text, err := body("message", cutAnswer(textfield.ShowReordering(a.Text)))
	if err != nil {
		return AnswerNoText, nil
	}
	// Stored only to know the answer again: as a keyed hash, since a mail program's
	// Message-ID may name the sender's machine or domain. A mail without one is known
	// by its sender, date and text.
	key := a.MessageID
	if key == "" {
		key = from + "\x00" + a.Date.UTC().Format(time.RFC3339) + "\x00" + text
	}
	id := "<" + s.sealer.Index(indexAnswer, key) + "@answer.candor.invalid>"
	sealed, err := s.sealer.SealString(SealBody, text)
	if err != nil {
		return "", err
	}
	readers, err := s.inboxReaders(ctx)
	if err != nil {
		return "", err
	}
	out, err := s.notifications(rec.ID, readers)
	if err != nil {
		return "", err
	}
	m := MessageRecord{ConversationID: rec.ID, Kind: In, BodySealed: sealed, MessageID: id, CreatedAt: s.now().UTC()}
	switch _, err := s.store.AddMessage(ctx, m, out, Open); {
	case errs.Is(err, errs.Conflict):
		return AnswerDuplicate, nil
	case err != nil:
		return "", err
	}
	if len(out) > 0 && s.notify != nil {
		s.notify.Notify()
	}
	return AnswerAdded, nil
}

// Knows reports whether a mail from this sender referring to these Message-IDs would
// join a conversation (a reply's or a thread's id, and the conversation's own address):
// the mailbox reader downloads only those.
func (s *Service) Knows(ctx context.Context, refs []string, from string) (bool, error) {
	rec, err := s.store.ConversationByMessageID(ctx, refs)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	norm, err := pii.NormalizeEmail(from)
	return err == nil && s.EmailIndex(norm) == rec.EmailIndex, nil
}

// cutNote ends an answer longer than the inbox keeps.
const cutNote = "\n\n[Cut here: the answer is longer than the inbox keeps. The whole mail is still in the mailbox.]"

// cutAnswer cuts an answer by mail to what a message may hold (MaxNoteBytes), on a rune
// boundary, and says so at the end: staff must not take a cut answer for a whole one.
func cutAnswer(text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if len(text) <= MaxNoteBytes {
		return text
	}
	text = text[:MaxNoteBytes-len(cutNote)]
	for !utf8.ValidString(text) {
		text = text[:len(text)-1]
	}
	return text + cutNote
}
