package contact

import (
	"context"
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// NotifySubject is the subject of the staff notification; the mail carries only a link.
const NotifySubject = "New message in the inbox"

// Receive stores a validated submission as a new conversation in folder (New, Review
// or Spam, from the anti-bot verdict), its first message sealed, with the content
// heuristics' score and signal names. In the same transaction it queues, except for
// spam, a notification to every active member who may read the inbox: a link only,
// never the text, name or address. It sends nothing to the person.
func (s *Service) Receive(ctx context.Context, v Valid, folder Folder, score int, signals []string) error {
	if v.email == "" {
		return errs.E(errs.Invalid, "The message was not validated.")
	}
	if folder != New && folder != Review && folder != Spam {
		return errs.E(errs.Invalid, "A new message goes into the new, review or spam folder.")
	}
	now := s.now().UTC()
	rec := Record{
		Folder: folder, EmailIndex: s.EmailIndex(v.email), Topic: v.topic, SpamScore: score,
		Signals: cleanSignals(signals), ThreadID: mail.NewMessageID(s.opts.MailDomain),
		CreatedAt: now, UpdatedAt: now, FolderChangedAt: now,
	}
	var err error
	if rec.EmailSealed, err = s.sealer.SealString(SealEmail, v.email); err != nil {
		return err
	}
	if rec.NameSealed, err = s.sealer.SealString(SealName, v.name); err != nil {
		return err
	}
	if rec.SubjectSealed, err = s.sealer.SealString(SealSubject, v.subject); err != nil {
		return err
	}
	first := MessageRecord{Kind: In, CreatedAt: now}
	if first.BodySealed, err = s.sealer.SealString(SealBody, v.message); err != nil {
		return err
	}
	var readers []pii.Email
	if folder != Spam {
		if readers, err = s.inboxReaders(ctx); err != nil {
			return err
		}
	}
	_, err = s.store.Create(ctx, rec, first, func(id int64) ([]mail.Queued, error) {
		return s.notifications(id, readers)
	})
	if err == nil && len(readers) > 0 && s.notify != nil {
		s.notify.Notify()
	}
	return err
}

// inboxReaders returns the addresses of the active members who may read the inbox.
func (s *Service) inboxReaders(ctx context.Context) ([]pii.Email, error) {
	var roles []staff.Role
	for _, r := range staff.Roles {
		if r.Can(staff.ReadInbox) {
			roles = append(roles, r)
		}
	}
	sealed, err := s.store.StaffEmails(ctx, roles)
	if err != nil {
		return nil, err
	}
	out := make([]pii.Email, 0, len(sealed))
	for _, x := range sealed {
		plain, err := s.sealer.OpenString(staff.SealEmail, x)
		if err != nil {
			return nil, errs.Wrap(errs.Internal, "", err)
		}
		e, err := pii.NewEmail(plain)
		if err != nil {
			continue // an address the staff domain accepted; skip rather than lose the message
		}
		out = append(out, e)
	}
	return out, nil
}

// notifications are the staff mails for conversation id: a fixed subject and a link,
// nothing from the message.
func (s *Service) notifications(id int64, to []pii.Email) ([]mail.Queued, error) {
	link := fmt.Sprintf("%s/admin/inbox/%d", s.opts.PublicURL, id)
	text := "A new message arrived in the contact inbox:\n" + link +
		"\n\nSign in to read it. This mail carries no personal data on purpose.\n"
	out := make([]mail.Queued, 0, len(to))
	for _, e := range to {
		q, err := mail.Compose(s.sealer, mail.Draft{
			Purpose: "contact.notify", To: e,
			Content: mail.Content{Subject: NotifySubject, Text: text, Headers: map[string]string{"Auto-Submitted": "auto-generated"}},
		}, s.opts.MailDomain, s.now())
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// cleanSignals keeps rule names only: short tokens of [a-z0-9_-.], at most 20.
func cleanSignals(in []string) []string {
	var out []string
	for _, x := range in {
		if len(out) == 20 {
			break
		}
		ok := x != "" && len(x) <= 40 && !strings.ContainsFunc(x, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' || r == ':')
		})
		if ok {
			out = append(out, x)
		}
	}
	return out
}
