package antibot

import (
	"log/slog"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
)

// Outcome is what the caller does with a submission.
type Outcome string

// The outcomes. Keep reports which ones are stored, Err which ones are refused.
const (
	// Accept: store in the normal place (the inbox, a pending subscription).
	Accept Outcome = "accept"
	// NeedsReview: store, but in the "needs review" folder: the browser ran no
	// JavaScript (no proof-of-work, or no time token), so nothing vouches for it.
	NeedsReview Outcome = "needs_review"
	// Spam: store in the spam folder (content heuristics); never drop.
	Spam Outcome = "spam"
	// Honeypot: answer exactly as for Accept, store nothing (or only count it), so a
	// bot learns nothing.
	Honeypot Outcome = "honeypot"
	// Reject: refuse with Err (a forged, malformed, replayed or badly timed token);
	// the page should keep what the person typed.
	Reject Outcome = "reject"
	// RateLimited: refuse with Err (HTTP 429).
	RateLimited Outcome = "rate_limited"
)

// Reason is a stable code saying which check decided a Verdict. It never contains
// any part of the input.
type Reason string

// The reasons.
const (
	ReasonNone        Reason = ""               // Accept
	ReasonBadForm     Reason = "bad_form"       // the caller's form id is not well formed
	ReasonHoneypot    Reason = "honeypot"       // the honeypot field was filled
	ReasonIPRate      Reason = "ip_rate"        // too many submissions from this IP (or /64)
	ReasonAddressRate Reason = "address_rate"   // too many submissions for this address
	ReasonTimeMissing Reason = "time_missing"   // no time token (NeedsReview)
	ReasonTimeBad     Reason = "time_malformed" // not a time token at all
	ReasonTimeForged  Reason = "time_forged"    // bad signature, or signed for another form
	ReasonTimeTooFast Reason = "time_too_fast"  // submitted sooner than MinAge after issue
	ReasonTimeExpired Reason = "time_expired"   // submitted later than MaxAge after issue
	ReasonPoWMissing  Reason = "pow_missing"    // no challenge (NeedsReview)
	ReasonPoWUnsolved Reason = "pow_unsolved"   // a challenge but no nonce (NeedsReview)
	ReasonPoWBad      Reason = "pow_malformed"  // not a challenge, or a malformed nonce
	ReasonPoWForged   Reason = "pow_forged"     // bad signature (a tampered difficulty), or another form's
	ReasonPoWExpired  Reason = "pow_expired"    // the challenge's expiry has passed
	ReasonPoWWrong    Reason = "pow_wrong"      // the nonce does not solve the challenge
	ReasonPoWReplayed Reason = "pow_replayed"   // the challenge was already spent
	ReasonPoWBusy     Reason = "pow_busy"       // replay memory full: RateLimited
	ReasonContent     Reason = "content"        // content heuristics scored it as spam
)

// Verdict is the result of Check.
type Verdict struct {
	Outcome Outcome
	Reason  Reason
	// Score is the content heuristics' score (0 when not reached or no text), and
	// Signals the names of the rules that fired (see Score): for the staff view of
	// the spam folder, "why is this here".
	Score   int
	Signals []string
}

// Keep reports whether the submission is to be stored: Accept, NeedsReview or Spam,
// each in its own place.
func (v Verdict) Keep() bool {
	return v.Outcome == Accept || v.Outcome == NeedsReview || v.Outcome == Spam
}

// Err is the error to answer with for Reject and RateLimited (an errs.Invalid or
// errs.RateLimited with a public message that helps a person and tells a bot
// little), and nil for every other outcome: a Honeypot verdict is answered as a
// success.
func (v Verdict) Err() error {
	switch v.Outcome {
	case RateLimited:
		return &errs.Error{Code: errs.RateLimited, Public: "Too many submissions. Please wait a few minutes and try again.", Cause: reasonError(v.Reason)}
	case Reject:
		public := "This form could not be verified. Please reload the page and send it again."
		switch v.Reason {
		case ReasonTimeTooFast:
			public = "That was faster than a person can fill in this form. Please wait a moment and send it again."
		case ReasonTimeExpired, ReasonPoWExpired:
			public = "This form has expired. Please reload the page and send it again."
		}
		return &errs.Error{Code: errs.Invalid, Public: public, Cause: reasonError(v.Reason)}
	}
	return nil
}

// reasonError carries the reason code into logs as an error's cause.
type reasonError Reason

func (r reasonError) Error() string { return "antibot: " + string(r) }

// String renders the verdict for logs: outcome, reason and signals, all codes.
func (v Verdict) String() string {
	var b strings.Builder
	b.WriteString(string(v.Outcome))
	if v.Reason != "" {
		b.WriteString(" (" + string(v.Reason) + ")")
	}
	if len(v.Signals) > 0 {
		b.WriteString(" [" + strings.Join(v.Signals, " ") + "]")
	}
	return b.String()
}

// LogValue implements slog.LogValuer.
func (v Verdict) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("outcome", string(v.Outcome)),
		slog.String("reason", string(v.Reason)),
		slog.Int("score", v.Score),
		slog.Any("signals", v.Signals),
	)
}
