package contact

import (
	"context"
	"strings"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/staff"
)

// Reply mails text to the person who wrote conversation id and files the conversation
// under Waiting. The mail is queued in the outbox in the same transaction as the
// reply's message row, sent from --mail-from (with Reply-To when configured), with
// the subject "Re: <subject>", a new Message-ID, In-Reply-To the previous mail of the
// thread (the thread id for the first reply) and References the whole chain.
func (s *Service) Reply(ctx context.Context, actor staff.Principal, id int64, text string) error {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return err
	}
	text, err := body("reply", text)
	if err != nil {
		return err
	}
	r, err := s.store.Conversation(ctx, id)
	if err != nil {
		return err
	}
	c, err := s.open(r)
	if err != nil {
		return err
	}
	msgs, err := s.store.Messages(ctx, id)
	if err != nil {
		return err
	}
	chain := []string{r.ThreadID}
	for _, m := range msgs {
		if m.Kind == Out && m.MessageID != "" {
			chain = append(chain, m.MessageID)
		}
	}
	subj := c.Subject
	if subj == "" {
		subj = "your message"
	}
	if !strings.HasPrefix(strings.ToLower(subj), "re:") {
		subj = "Re: " + subj
	}
	headers := map[string]string{
		"In-Reply-To": chain[len(chain)-1],
		"References":  strings.Join(chain, " "),
	}
	if s.opts.ReplyTo != "" {
		headers["Reply-To"] = s.opts.ReplyTo
	}
	now := s.now().UTC()
	q, err := mail.Compose(s.sealer, mail.Draft{
		Purpose: "contact.reply", To: c.Email,
		Content: mail.Content{Subject: subj, Text: mail.WithPrivacyFooter(text, s.opts.PublicURL), Headers: headers},
	}, s.opts.MailDomain, now)
	if err != nil {
		return err
	}
	sealed, err := s.sealer.SealString(SealBody, text)
	if err != nil {
		return err
	}
	if err := s.audit.Record(ctx, actor.Name, "contact.reply", subject(id)); err != nil {
		return err
	}
	m := MessageRecord{ConversationID: id, Kind: Out, BodySealed: sealed, AuthorID: actor.ID, MessageID: q.MessageID, CreatedAt: now}
	if _, err := s.store.AddMessage(ctx, m, []mail.Queued{q}, Waiting); err != nil {
		return err
	}
	if s.notify != nil {
		s.notify.Notify()
	}
	return nil
}
