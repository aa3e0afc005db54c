package smtp

import (
	"bytes"
	"errors"
	"html"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/candor-dev/candor/internal/mail"
)

// extraHeaders are the headers a message's Content may carry beyond From, To, Subject,
// Date and Message-ID, which the relay sets itself; anything else is refused.
var extraHeaders = map[string]bool{
	"List-Unsubscribe": true, "List-Unsubscribe-Post": true, "List-Id": true,
	"In-Reply-To": true, "References": true, "Reply-To": true, "Auto-Submitted": true,
}

// errCompose is the cause of every compose failure; the messages never quote the
// recipient or the content.
var errCompose = errors.New("smtp: cannot build the message")

// compose writes a message as RFC 5322 bytes (CRLF line ends) into buf and returns the
// DKIM-Signature header field to send before it (nil without a key). Text alone is
// text/plain; text with HTML, and every campaign message, is multipart/alternative.
func (r *Relay) compose(m *mail.Message, buf *bytes.Buffer) ([]byte, error) {
	if m.To.IsZero() {
		return nil, errors.Join(errCompose, errors.New("no recipient"))
	}
	if err := m.Content.Validate(); err != nil {
		return nil, errors.Join(errCompose, errors.New("a header or the subject holds a line break"))
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(r.o.From)
	if err := msg.To(m.To.Reveal()); err != nil {
		return nil, errors.Join(errCompose, errors.New("the recipient is not a valid address"))
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.Date)
	msg.SetMessageIDWithValue(strings.TrimSuffix(strings.TrimPrefix(m.MessageID, "<"), ">"))
	for k, v := range m.Headers {
		name := textproto.CanonicalMIMEHeaderKey(k)
		if !extraHeaders[name] {
			return nil, errors.Join(errCompose, errors.New("header "+name+" is not allowed"))
		}
		if name == "Reply-To" {
			if err := msg.ReplyTo(v); err != nil {
				return nil, errors.Join(errCompose, errors.New("Reply-To is not a valid address"))
			}
			continue
		}
		// URLs and message ids: ASCII, written exactly as given.
		msg.SetGenHeaderPreformatted(gomail.Header(name), v)
	}
	if m.Campaign {
		msg.SetBulk()
	}
	text, htmlBody := m.Text, m.HTML
	if m.Campaign && htmlBody == "" {
		htmlBody = "<!doctype html><html><body><pre style=\"white-space:pre-wrap\">" + html.EscapeString(text) + "</pre></body></html>"
	}
	msg.SetBodyString(gomail.TypeTextPlain, text)
	if htmlBody != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, htmlBody)
	}
	buf.Grow(len(text) + len(htmlBody) + 2048)
	if _, err := msg.WriteTo(buf); err != nil {
		return nil, errors.Join(errCompose, errors.New("MIME encoding failed"))
	}
	if r.o.DKIM == nil {
		return nil, nil
	}
	return r.o.DKIM.sign(buf.Bytes())
}
