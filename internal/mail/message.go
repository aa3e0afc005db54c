package mail

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
)

// Sealing contexts of outbox columns.
const (
	SealTo      = "mail.to"
	SealContent = "mail.content"
)

// IndexEmail is the blind-index purpose of a recipient's address: the same purpose as
// subscribers.email_index and the suppression list, so a hard bounce of any message
// suppresses the address everywhere.
const IndexEmail = "subscriber.email"

// Draft is a transactional message to one recipient, before it is queued.
type Draft struct {
	Purpose      string // e.g. "newsletter.confirm"; never personal data
	SubscriberID int64  // optional: ties the mail to a subscriber, so erasing them removes it
	To           pii.Email
	Content
}

// Content is what a message says. Headers holds extra headers such as
// List-Unsubscribe, In-Reply-To and References; values must not contain CR or LF.
type Content struct {
	Subject string            `json:"subject"`
	Text    string            `json:"text"`
	HTML    string            `json:"html,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
}

// Queued is an outbox row as written: sealed, with its Message-ID and due time.
type Queued struct {
	Purpose       string
	SubscriberID  int64
	ToSealed      string
	ToIndex       string // blind index of the recipient (IndexEmail)
	ContentSealed string
	MessageID     string
	CreatedAt     time.Time
}

// Sealer seals and opens outbox columns and computes blind indexes (pii.Sealer).
type Sealer interface {
	SealString(context, plaintext string) (string, error)
	OpenString(context, sealed string) (string, error)
	Index(purpose, value string) string
}

// Compose validates and seals a draft for the outbox. domain is the sender's domain,
// used in the Message-ID.
func Compose(s Sealer, d Draft, domain string, now time.Time) (Queued, error) {
	if d.To.IsZero() {
		return Queued{}, errs.E(errs.Invalid, "A message needs a recipient.")
	}
	if err := d.Content.Validate(); err != nil {
		return Queued{}, err
	}
	to, err := s.SealString(SealTo, d.To.Reveal())
	if err != nil {
		return Queued{}, err
	}
	body, err := json.Marshal(d.Content)
	if err != nil {
		return Queued{}, err
	}
	content, err := s.SealString(SealContent, string(body))
	if err != nil {
		return Queued{}, err
	}
	return Queued{
		Purpose: d.Purpose, SubscriberID: d.SubscriberID, ToSealed: to, ContentSealed: content,
		ToIndex:   s.Index(IndexEmail, d.To.Reveal()),
		MessageID: NewMessageID(domain), CreatedAt: now.UTC(),
	}, nil
}

// Open reverses Compose for sending or for the staff outbox view.
func Open(s Sealer, q Queued) (pii.Email, Content, error) {
	var c Content
	to, err := s.OpenString(SealTo, q.ToSealed)
	if err != nil {
		return pii.Email{}, c, err
	}
	email, err := pii.NewEmail(to)
	if err != nil {
		return pii.Email{}, c, err
	}
	body, err := s.OpenString(SealContent, q.ContentSealed)
	if err != nil {
		return pii.Email{}, c, err
	}
	err = json.Unmarshal([]byte(body), &c)
	return email, c, err
}

// Validate refuses header injection: no CR or LF in the subject or any header, and
// no colon or space in a header name.
func (c Content) Validate() error {
	if strings.ContainsAny(c.Subject, "\r\n") {
		return errs.InvalidField("subject", "The subject may not contain line breaks.")
	}
	for k, v := range c.Headers {
		if strings.ContainsAny(k+v, "\r\n") || strings.ContainsAny(k, ": ") {
			return errs.E(errs.Invalid, "A header may not contain line breaks.")
		}
	}
	return nil
}

// NewMessageID returns a fresh RFC 5322 Message-ID in angle brackets.
func NewMessageID(domain string) string {
	if domain == "" {
		domain = "candor.invalid"
	}
	return fmt.Sprintf("<%s@%s>", strings.ToLower(rand.Text()), domain)
}
