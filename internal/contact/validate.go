package contact

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/textfield"
)

// Field limits of the contact form.
const (
	MaxNameRunes    = 100
	MaxEmailBytes   = 254
	MaxSubjectRunes = 200
	MaxMessageBytes = 10_000
	MaxTopicBytes   = 64
)

// Submission is one message from the contact form, as typed.
type Submission struct {
	Name, Email, Subject, Message, Topic string
}

// reordersMsg refuses a text holding a character that reorders what staff read.
const reordersMsg = "The text holds characters that change the direction of text (U+202A–U+202E, U+2066–U+2069); please remove them."

// Valid is a validated Submission, ready for Receive.
type Valid struct {
	name, email, subject, message, topic string
}

// Validate checks a submission without storing it, so that the caller can refuse a
// typo before spending the form's anti-bot challenge. Every error names its field
// (errs.InvalidField). Name and subject may not hold line breaks or other control
// characters (no header injection); the message may hold line breaks and tabs, but no
// bidirectional embedding, override or isolate (nothing may reorder what staff read).
func (s *Service) Validate(in Submission) (Valid, error) {
	return validate(in)
}

func validate(in Submission) (Valid, error) {
	var v Valid
	if len(in.Email) > MaxEmailBytes {
		return v, errs.InvalidField("email", fmt.Sprintf("The address may have at most %d characters.", MaxEmailBytes))
	}
	norm, err := pii.NormalizeEmail(in.Email)
	if err != nil {
		return v, errs.InvalidField("email", "Please enter a valid email address.")
	}
	name, err := textfield.Line("name", in.Name, MaxNameRunes, true)
	if err != nil {
		return v, err
	}
	subject, err := textfield.Line("subject", in.Subject, MaxSubjectRunes, true)
	if err != nil {
		return v, err
	}
	msg := strings.TrimSpace(strings.ReplaceAll(in.Message, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(msg):
		return v, errs.InvalidField("message", "The message holds characters that are not text.")
	case msg == "":
		return v, errs.InvalidField("message", "Please write a message.")
	case len(msg) > MaxMessageBytes:
		return v, errs.InvalidField("message", fmt.Sprintf("The message may have at most %d characters.", MaxMessageBytes))
	case strings.ContainsFunc(msg, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		return v, errs.InvalidField("message", "The message holds control characters.")
	case strings.ContainsFunc(msg, textfield.Reorders):
		return v, errs.InvalidField("message", reordersMsg)
	}
	topic, err := textfield.Line("topic", in.Topic, MaxTopicBytes, true)
	if err != nil {
		return v, err
	}
	return Valid{name: name, email: norm, subject: subject, message: msg, topic: topic}, nil
}

// Email returns the normalised address (for the anti-bot per-address limit).
func (v Valid) Email() string { return v.email }

// Text returns the free-text fields for the anti-bot content heuristics.
func (v Valid) Text() []string { return []string{v.name, v.subject, v.message} }

// String shows nothing personal.
func (v Valid) String() string { return "contact.Valid{…}" }

// GoString shows nothing personal.
func (v Valid) GoString() string { return v.String() }
