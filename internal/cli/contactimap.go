package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/imapin"
	"github.com/candor-dev/candor/internal/sqldb"
)

// openContactIMAP builds the reader of --contact-imap (nil when unset).
func (a *app) openContactIMAP() (*imapin.Poller, error) {
	if a.cfg.ContactIMAP == nil {
		return nil, nil
	}
	var cfg *tls.Config
	if f := a.cfg.ContactIMAPCAFile; f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("setting --contact-imap-ca-file: %w", err)
		}
		cfg = &tls.Config{RootCAs: x509.NewCertPool(), MinVersion: tls.VersionTLS12}
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, errors.New("setting --contact-imap-ca-file: no PEM certificate in the file")
		}
	}
	p, err := imapin.NewPoller(imapin.Options{URL: a.cfg.ContactIMAP, TLSConfig: cfg}, sqldb.InboundStore{DB: a.db})
	if err != nil {
		return nil, fmt.Errorf("setting --contact-imap: %w", err)
	}
	return p, nil
}

// readAnswers reads the mailbox once and returns how many answers joined their
// conversations; what it left out is logged by outcome, never with an address or text.
func (a *app) readAnswers(ctx context.Context, p *imapin.Poller) (int64, error) {
	h := &answerHandler{svc: a.contact, outcomes: map[contact.AnswerOutcome]int{}}
	st, err := p.Poll(ctx, h)
	if st.Read > 0 || err != nil {
		a.log.Info("contact mailbox read", "mailbox", p.Name(), "mails", st.Read, "answers", st.Candidate,
			"added", h.outcomes[contact.AnswerAdded], "duplicate", h.outcomes[contact.AnswerDuplicate],
			"stranger", h.outcomes[contact.AnswerStranger], "unreadable", h.outcomes[contact.AnswerNoText]+st.Skipped)
	}
	return int64(h.outcomes[contact.AnswerAdded]), err
}

// answerHandler hands the mailbox's answers to the contact domain (imapin.Handler).
type answerHandler struct {
	svc      *contact.Service
	outcomes map[contact.AnswerOutcome]int
}

func (h *answerHandler) Answers(ctx context.Context, refs []string) (bool, error) {
	return h.svc.Knows(ctx, refs)
}

func (h *answerHandler) Receive(ctx context.Context, m imapin.Message) error {
	out, err := h.svc.ReceiveAnswer(ctx, contact.Answer{MessageID: m.MessageID, References: m.References, From: m.From, Date: m.Date, Text: m.Text})
	if err == nil {
		h.outcomes[out]++
	}
	return err
}
