package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail/imapin"
	"github.com/candor-dev/candor/internal/sqldb"
)

// openContactIMAP builds the reader of --contact-imap (nil when unset).
func (a *app) openContactIMAP() (*imapin.Poller, error) {
	if a.cfg.ContactIMAP == nil {
		return nil, nil
	}
	var cfg *tls.Config
	pool, err := config.CertPool("contact-imap-ca-file", a.cfg.ContactIMAPCAFile)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		cfg = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	p, err := imapin.NewPoller(imapin.Options{URL: a.cfg.ContactIMAP, TLSConfig: cfg, Egress: a.egress()}, sqldb.InboundStore{DB: a.db})
	if err != nil {
		return nil, fmt.Errorf("setting --contact-imap: %w", err)
	}
	return p, nil
}

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
