package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail/imapin"
)

// answersRead is what one reading of the mailbox did.
type answersRead struct {
	imapin.Stats
	outcomes map[contact.AnswerOutcome]int
}

func (r answersRead) String() string {
	added, dup := r.outcomes[contact.AnswerAdded], r.outcomes[contact.AnswerDuplicate]
	return fmt.Sprintf("%d mails read, %d answering a conversation: %d added, %d already there, %d not taken (automatic, unreadable or the conversation gone)",
		r.Read, r.Candidate, added, dup, r.Candidate-added-dup)
}

// readAnswers reads the mailbox once and says what became of its mails; the log gets
// the counts, never an address or a text.
func (a *app) readAnswers(ctx context.Context, p *imapin.Poller) (answersRead, error) {
	h := &answerHandler{svc: a.contact, outcomes: map[contact.AnswerOutcome]int{}}
	st, err := p.Poll(ctx, h)
	r := answersRead{Stats: st, outcomes: h.outcomes}
	if st.Read > 0 || err != nil {
		a.log.Info("contact mailbox read", "mailbox", p.Name(), "result", r.String())
	}
	return r, err
}

// runContact is `candor contact read-answers`: one reading of the --contact-imap mailbox
// now (serve reads it every --contact-imap-every), to check the setting.
func runContact(ctx context.Context, inv *invocation) error {
	a, err := openSubcommand(ctx, inv, "read-answers", "Reads people's answers to inbox replies from the --contact-imap mailbox now, once\n"+
		"(serve reads it every --contact-imap-every), and says what became of its mails.")
	if err != nil {
		return err
	}
	defer a.Close()
	if a.answers == nil {
		return errors.New("setting --contact-imap is not set: there is no mailbox to read (docs/contact.md#answers-by-mail)")
	}
	r, err := a.readAnswers(ctx, a.answers)
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.env.Stdout, "%s: %s\n", a.answers.Name(), r)
	return nil
}

// answerHandler hands the mailbox's answers to the contact domain (imapin.Handler).
type answerHandler struct {
	svc      *contact.Service
	outcomes map[contact.AnswerOutcome]int
}

func (h *answerHandler) Answers(ctx context.Context, refs []string, from string) (bool, error) {
	return h.svc.Knows(ctx, refs, from)
}

func (h *answerHandler) Receive(ctx context.Context, m imapin.Message) error {
	out, err := h.svc.ReceiveAnswer(ctx, contact.Answer{MessageID: m.MessageID, References: m.References, From: m.From, Date: m.Date, Text: m.Text})
	if err == nil {
		h.outcomes[out]++
	}
	return err
}
