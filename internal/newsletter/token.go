package newsletter

import (
	"encoding/json"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// Token purposes: a token sealed for one cannot be used for another.
const (
	purposeConfirm     = "confirm"
	purposeUnsubscribe = "unsubscribe"
)

// token is the sealed payload behind a link. It is opaque to its holder (AES-GCM under
// the data keys), authenticated, and expires.
type token struct {
	Purpose    string  `json:"p"`
	Subscriber int64   `json:"s"`
	Lists      []int64 `json:"l,omitempty"`
	Campaign   int64   `json:"c,omitempty"`
	Issued     int64   `json:"i,omitempty"` // Unix ms; 0 in tokens made before it existed
	Expires    int64   `json:"e"`
	// Signup is, in a confirmation token, the sign-up it was mailed for, so the link
	// confirms exactly that sign-up even if a later one (anyone may post the form with
	// an address) changed what is stored. Nil in other tokens and in confirmation
	// tokens made before it existed, which confirm whatever is stored.
	Signup *tokenSignup `json:"d,omitempty"`
}

// tokenSignup is what a sign-up records beside the address, in plain text (the whole
// token is sealed).
type tokenSignup struct {
	Name            string `json:"n,omitempty"`  // as submitted: "" for no name
	ConsentSource   string `json:"cs,omitempty"` // Record.ConsentSource
	ConsentTextHash string `json:"ch,omitempty"` // Record.ConsentTextHash
}

// maxTokenLen caps a raw token before it is opened. A confirmation token carries up to
// MaxLists list ids, a name of MaxNameRunes (up to 6 bytes each in JSON, e.g. "&" is
// \u0026) and a source of MaxSourceBytes (likewise): about 1.5 KB of JSON, 2.1 KB
// sealed and base64-encoded. The old cap, 1024, cut off a long name.
const maxTokenLen = 4096

var errBadLink = errs.E(errs.NotFound, "This link is not valid or has expired.")

func (s *Service) seal(t token) (string, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	return s.sealer.SealString(sealToken, string(b))
}

// open checks a token's seal, purpose and expiry. Every failure is the same not-found.
func (s *Service) open(raw, purpose string) (token, error) {
	var t token
	if raw == "" || len(raw) > maxTokenLen {
		return t, errBadLink
	}
	plain, err := s.sealer.OpenString(sealToken, raw)
	if err != nil || json.Unmarshal([]byte(plain), &t) != nil {
		return t, errBadLink
	}
	if t.Purpose != purpose || t.Subscriber <= 0 || time.Unix(t.Expires, 0).Before(s.now()) {
		return t, errBadLink
	}
	return t, nil
}

// UnsubscribeToken returns the token for a campaign mail's unsubscribe links.
func (s *Service) UnsubscribeToken(subscriberID, campaignID int64) (string, error) {
	return s.seal(token{Purpose: purposeUnsubscribe, Subscriber: subscriberID, Campaign: campaignID,
		Expires: s.now().Add(s.opts.UnsubscribeTTL).Unix()})
}
