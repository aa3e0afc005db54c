package privacy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
)

// The self-service link (/my-data): a person types an address, and a link is mailed to
// it that opens the view of everything held under that address. The link's token is
// sealed (AES-GCM under the data keys, like the newsletter's confirmation links) under
// a seal context of its own, so it is opaque, cannot be forged or altered, and no other
// link's token opens as one (nor one of these as another). It names one purpose (the
// view at /my-data/view and its export and erasure, nothing else), expires after
// LinkTTL, and is dead once an erasure of the address was made after it was issued.
const (
	// SealLink is the seal context of a /my-data link's token.
	SealLink = "privacy.link"
	// LinkPath is the one page a link opens.
	LinkPath = "/my-data/view"
	// LinkTTL is how long a mailed link works.
	LinkTTL = time.Hour
	// LinkMailPurpose is the outbox purpose of the mail carrying a link.
	LinkMailPurpose = "privacy.link"

	linkPurpose = "my-data/view"
	maxLinkLen  = 1024
)

// linkToken is the sealed payload behind a link.
type linkToken struct {
	Purpose string `json:"p"`
	Email   string `json:"e"` // normalised
	Issued  int64  `json:"i"` // Unix ms
	Expires int64  `json:"x"` // Unix s
	Nonce   string `json:"n"` // makes every token unique
}

// Link is an opened, valid link: the address whose owner clicked it.
type Link struct {
	Email  string
	Issued time.Time
}

// LinkStore is what the links need from storage.
type LinkStore interface {
	// Queue puts one message into the mail outbox.
	Queue(ctx context.Context, q mail.Queued) error
	// LastErasure returns when the latest erasure request for the address (by its
	// data_request.email index) was received; zero when there was none.
	LastErasure(ctx context.Context, emailIndex string) (time.Time, error)
}

// LinkOptions configure the links.
type LinkOptions struct {
	PublicURL  string // the base of the link, without a trailing slash
	MailDomain string // the sender's domain (Message-IDs)
	VendorName string // how the mail names the vendor
	Notify     func() // wakes the mail worker (nil: none)
}

// Links mails and opens /my-data links.
type Links struct {
	store  LinkStore
	sealer Sealer
	audit  Auditor
	opts   LinkOptions
	now    func() time.Time
}

// NewLinks builds the /my-data links.
func NewLinks(store LinkStore, sealer Sealer, auditor Auditor, o LinkOptions) *Links {
	return &Links{store: store, sealer: sealer, audit: auditor, opts: o, now: time.Now}
}

// SetClock replaces the clock (tests).
func (l *Links) SetClock(now func() time.Time) { l.now = now }

// Mail queues a mail with a fresh link to email. It does the same work and queues the
// same mail whether or not anything is held under the address: nothing is looked up,
// so neither the answer nor its timing can tell a known address from an unknown one,
// and the page behind the link says what is held (possibly nothing). The audit entry
// ("privacy.link", actor self) carries no address.
func (l *Links) Mail(ctx context.Context, email string) error {
	norm, err := pii.NormalizeEmail(email)
	if err != nil {
		return errs.InvalidField("email", "Enter a valid email address.")
	}
	to, err := pii.NewEmail(norm)
	if err != nil {
		return errs.InvalidField("email", "Enter a valid email address.")
	}
	now := l.now()
	raw, err := l.seal(linkToken{Purpose: linkPurpose, Email: norm, Issued: now.UnixMilli(), Expires: now.Add(LinkTTL).Unix(), Nonce: nonce()})
	if err != nil {
		return err
	}
	q, err := mail.Compose(l.sealer, mail.Draft{Purpose: LinkMailPurpose, To: to,
		Content: mail.Content{Subject: "Your data at " + l.opts.VendorName, Text: l.mailText(raw)}}, l.opts.MailDomain, now)
	if err != nil {
		return err
	}
	if err := l.store.Queue(ctx, q); err != nil {
		return err
	}
	if l.opts.Notify != nil {
		l.opts.Notify()
	}
	return l.audit.Record(ctx, SelfActor, "privacy.link", "", "mail", LinkMailPurpose)
}

func (l *Links) mailText(raw string) string {
	return "Someone, probably you, asked what " + l.opts.VendorName + " holds about this email address.\n\n" +
		"This link shows it, lets you download a copy and lets you have it erased. It works for one hour,\n" +
		"and once only for an erasure:\n\n  " + l.opts.PublicURL + LinkPath + "?t=" + url.QueryEscape(raw) + "\n\n" +
		"If you did not ask, ignore this mail: the link shows nothing to anyone who does not hold this mailbox.\n"
}

func nonce() string {
	b := make([]byte, 8)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return hex.EncodeToString(b)
}

func (l *Links) seal(t linkToken) (string, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	return l.sealer.SealString(SealLink, string(b))
}

var (
	errBadLink     = errs.E(errs.NotFound, "This link is not valid. Ask for a new one on the “My data” page.")
	errExpiredLink = errs.E(errs.Invalid, "This link has expired. Ask for a new one on the “My data” page.")
	errUsedLink    = errs.E(errs.Conflict, "This link was used for an erasure and works no more. Ask for a new one on the “My data” page.")
)

// Open checks a link's token: its seal, purpose and expiry, and that no erasure of the
// address was made since it was issued (a link erases once, then is dead).
func (l *Links) Open(ctx context.Context, raw string) (Link, error) {
	var t linkToken
	if raw == "" || len(raw) > maxLinkLen {
		return Link{}, errBadLink
	}
	plain, err := l.sealer.OpenString(SealLink, raw)
	if err != nil || json.Unmarshal([]byte(plain), &t) != nil || t.Purpose != linkPurpose || t.Email == "" {
		return Link{}, errBadLink
	}
	if l.now().Unix() > t.Expires {
		return Link{}, errExpiredLink
	}
	issued := time.UnixMilli(t.Issued)
	last, err := l.store.LastErasure(ctx, l.sealer.Index(indexRequestEmail, t.Email))
	if err != nil {
		return Link{}, err
	}
	if !last.IsZero() && !last.Before(issued) {
		return Link{}, errUsedLink
	}
	return Link{Email: t.Email, Issued: issued}, nil
}

// AddressKey is the blind index of an address for the anti-bot layer's per-address
// limit (kept in memory only); an invalid address is a field error.
func (l *Links) AddressKey(email string) (string, error) {
	norm, err := pii.NormalizeEmail(email)
	if err != nil {
		return "", errs.InvalidField("email", "Enter a valid email address.")
	}
	return l.sealer.Index(indexRequestEmail, norm), nil
}
