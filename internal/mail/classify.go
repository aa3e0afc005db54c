package mail

import (
	"strconv"
	"strings"
)

// Class is how a failed attempt is treated.
type Class int

// The classes of failure.
const (
	Temporary  Class = iota // retried with exponential backoff, dead after DeadAfter
	Permanent               // failed for good; the address stays usable
	HardBounce              // failed for good; the address is suppressed (reason hard_bounce)
)

func (c Class) String() string {
	switch c {
	case Permanent:
		return "permanent"
	case HardBounce:
		return "hard_bounce"
	}
	return "temporary"
}

// Stage is the step of the SMTP conversation that failed.
type Stage string

// The stages of one send.
const (
	StageConnect Stage = "connect" // dial, TLS, EHLO, AUTH: the relay, not the message
	StageMail    Stage = "mail"    // MAIL FROM: our sender, not the recipient
	StageRcpt    Stage = "rcpt"    // RCPT TO: the recipient
	StageData    Stage = "data"    // DATA and the reply after the message
	StageCompose Stage = "compose" // the message could not be built (never reached the relay)
)

// SendError is a failed send, as the relay adapters report it. It keeps the stage and
// the SMTP reply codes only: never the server's text, which may name the recipient.
type SendError struct {
	Stage    Stage
	Code     int    // the SMTP reply code; 0 when there was no reply (network, TLS, timeout)
	Enhanced string // the RFC 3463 enhanced status code, e.g. "5.1.1"; "" when absent
	// Cause is the underlying error of a failure without an SMTP reply (a refused dial,
	// TLS, a timeout, a closed connection) or of any failure at StageConnect or
	// StageCompose: text about the relay or the message's form, never the server's
	// reply to a recipient.
	Cause error
}

// Class classifies the failure (see Classify).
func (e *SendError) Class() Class { return Classify(e.Stage, e.Code, e.Enhanced) }

// Error is the summary stored in mail_outbox.last_error and logged: stage, codes and
// class, e.g. "rcpt 550 5.1.1 hard_bounce".
func (e *SendError) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Stage))
	if e.Code != 0 {
		b.WriteString(" " + strconv.Itoa(e.Code))
	}
	if e.Enhanced != "" {
		b.WriteString(" " + e.Enhanced)
	}
	b.WriteString(" " + e.Class().String())
	if e.Cause != nil && (e.Code == 0 || e.Stage == StageConnect) {
		b.WriteString(": " + e.Cause.Error())
	}
	return b.String()
}

// Unwrap returns the cause of a connection failure.
func (e *SendError) Unwrap() error { return e.Cause }

// Classify decides what a failed attempt means:
//   - no reply, a 4xx reply, or any failure while connecting (dial, TLS, AUTH) or at
//     MAIL FROM (the relay refusing our sender is a configuration fault, never the
//     recipient's): Temporary;
//   - a 5xx reply to RCPT TO or after DATA whose enhanced code says the mailbox or
//     address is bad (5.1.x, 5.2.1), or without an enhanced code the mailbox replies
//     550, 551 and 553: HardBounce;
//   - any other 5xx reply (policy 5.7.x, size 5.3.4, …), or a message that could not
//     be built (StageCompose): Permanent.
func Classify(stage Stage, code int, enhanced string) Class {
	if stage == StageCompose {
		return Permanent
	}
	if stage == StageConnect || stage == StageMail || code < 500 || code > 599 {
		return Temporary
	}
	if enhanced != "" {
		if strings.HasPrefix(enhanced, "5.1.") || enhanced == "5.2.1" {
			return HardBounce
		}
		return Permanent
	}
	switch code {
	case 550, 551, 553:
		return HardBounce
	}
	return Permanent
}

// ParseEnhanced returns the RFC 3463 enhanced status code at the start of an SMTP
// reply's text ("5.1.1 <…> unknown" → "5.1.1"), or "" when there is none or its class
// digit disagrees with the reply code's.
func ParseEnhanced(code int, text string) string {
	text = strings.TrimLeft(text, " ")
	end := strings.IndexAny(text, " \t\r\n")
	if end < 0 {
		end = len(text)
	}
	word := text[:end]
	parts := strings.Split(word, ".")
	if len(parts) != 3 || len(parts[0]) != 1 || !strings.Contains("245", parts[0]) {
		return ""
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 3 {
			return ""
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return ""
			}
		}
	}
	if code != 0 && strconv.Itoa(code/100) != parts[0] {
		return ""
	}
	return word
}
