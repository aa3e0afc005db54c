package antibot

import (
	"fmt"
	"log/slog"
)

// The hidden fields' names, the same in a form post, a JSON body or any other
// encoding. antibot.js fills (and, when missing, creates) all but the honeypot.
const (
	FieldHoneypot  = "website"      // a text input humans never see, so never fill
	FieldTime      = "candor_time"  // the time token
	FieldChallenge = "candor_pow"   // the proof-of-work challenge
	FieldNonce     = "candor_nonce" // the browser's solution
)

// Form ids used by Candor's own forms. Any id of 1 to 32 characters from a-z, 0-9,
// '-' and '_' is valid.
const (
	FormSubscribe = "subscribe"
	FormContact   = "contact"
)

// Submission is what Check examines. The handler fills it from a request of any
// content type: FormID from the route (never from the client), the hidden fields
// with ReadFields, ClientIP from the connection, AddressKey from the email's blind
// index, Text from the free-text fields.
//
// A Submission holds personal data in memory only; it prints and logs as its form
// id (String, GoString, LogValue), never its fields.
type Submission struct {
	FormID    string
	Honeypot  string
	TimeToken string
	Challenge string
	Nonce     string
	// ClientIP is the client's address as text; it is used as a rate-limit key in
	// memory and never stored. Empty skips the per-IP limit.
	ClientIP string
	// AddressKey identifies the address the form is about, e.g.
	// sealer.Index("subscriber.email", normalized). Empty skips the per-address limit.
	AddressKey string
	// Text holds the free-text fields (name, subject, message) for the content
	// heuristics; nil skips them.
	Text []string
}

// ReadFields fills the honeypot, time token, challenge and nonce from get, which
// looks a field up by name: r.PostFormValue, url.Values.Get, or a lookup in a
// decoded JSON object.
func (s *Submission) ReadFields(get func(name string) string) {
	s.Honeypot = get(FieldHoneypot)
	s.TimeToken = get(FieldTime)
	s.Challenge = get(FieldChallenge)
	s.Nonce = get(FieldNonce)
}

// String shows the form id only.
func (s Submission) String() string { return "antibot.Submission{form " + s.FormID + "}" }

// GoString shows the form id only, so %#v leaks nothing either.
func (s Submission) GoString() string { return s.String() }

// Format shows the form id only, whatever the verb.
func (s Submission) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue implements slog.LogValuer: the form id only.
func (s Submission) LogValue() slog.Value { return slog.GroupValue(slog.String("form", s.FormID)) }
