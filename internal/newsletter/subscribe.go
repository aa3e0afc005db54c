package newsletter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
)

// Field limits of the subscribe form.
const (
	MaxNameRunes    = 100
	MaxLists        = 20
	MaxConsentBytes = 200
	MaxSourceBytes  = 64
)

// The consent sentence shown next to every subscribe form, and its version: a sign-up
// records a hash of the version the person saw (docs/newsletter.md gives the HTML).
const (
	ConsentVersion = "2026-11"
	ConsentText    = "We use your address only to send you this newsletter and to manage your subscription. " +
		"We never share it. Every mail has a one-click unsubscribe link."
)

// Signup is a validated SubscribeInput, ready for Join.
type Signup struct {
	email, name     string
	lists           []int64
	consent, source string
}

// Validate checks a sign-up without acting on it, so that the caller can refuse a typo
// before spending the form's anti-bot challenge, then Join it.
func (s *Service) Validate(ctx context.Context, in SubscribeInput) (Signup, error) {
	norm, err := pii.NormalizeEmail(in.Email)
	if err != nil {
		return Signup{}, errs.InvalidField("email", "Please enter a valid email address.")
	}
	name, err := CleanName(in.Name)
	if err != nil {
		return Signup{}, err
	}
	lists, err := s.resolveLists(ctx, in.Lists)
	if err != nil {
		return Signup{}, err
	}
	if len(in.ConsentVersion) > MaxConsentBytes || len(in.Source) > MaxSourceBytes || !utf8.ValidString(in.Source+in.ConsentVersion) {
		return Signup{}, errs.E(errs.Invalid, "The form sent an unexpected consent or source value.")
	}
	return Signup{email: norm, name: name, lists: lists, consent: in.ConsentVersion, source: in.Source}, nil
}

// SubscribeInput is one sign-up from a form or a fetch call.
type SubscribeInput struct {
	Email          string
	Name           string
	Lists          []string // list slugs; empty: the default list
	ConsentVersion string   // the version of the consent text shown next to the form
	Source         string   // which form, e.g. "footer"; not personal data
}

// Subscribe records a sign-up and queues a confirmation mail. It answers the same for a
// new, pending, confirmed or previously unsubscribed address; it errs only on invalid
// input (which is about the input, not about who is subscribed).
func (s *Service) Subscribe(ctx context.Context, in SubscribeInput) error {
	v, err := s.Validate(ctx, in)
	if err != nil {
		return err
	}
	return s.Join(ctx, v)
}

// Join records a validated sign-up: see Subscribe.
func (s *Service) Join(ctx context.Context, v Signup) error {
	norm, name, lists := v.email, v.name, v.lists
	index := s.EmailIndex(norm)
	now := s.now().UTC()
	// Staff suppressed the address, or it bounced: no confirmation mail goes there, and
	// the answer stays the same. (An "unsubscribed" suppression is the person's own
	// choice, which a new double opt-in may reverse.)
	if reason, err := s.store.Suppression(ctx, index); err != nil {
		return err
	} else if reason != "" && reason != "unsubscribed" {
		return nil
	}
	rec, err := s.store.SubscriberByIndex(ctx, index)
	switch {
	case errs.Is(err, errs.NotFound):
		rec = Record{EmailIndex: index, Status: Pending, CreatedAt: now}
	case err != nil:
		return err
	case now.Sub(rec.ConfirmationSentAt) < s.opts.ConfirmInterval:
		return nil // a confirmation went out recently: say the same, send nothing
	}
	if rec.EmailSealed, err = s.sealer.SealString(SealEmail, norm); err != nil {
		return err
	}
	// A confirmed subscriber's name and consent record change only with their own
	// confirmation: anyone who knows an address can post the form, and must not rewrite
	// what it is stored with; their link carries nothing but the lists. A pending one
	// shows what its latest sign-up gave (no name if none), and the link carries that
	// sign-up's details, so it confirms this sign-up even if a later one replaces what
	// is stored (see Confirm).
	var signup *tokenSignup
	if rec.Status != Confirmed {
		if rec.NameSealed, err = s.sealName(name); err != nil {
			return err
		}
		rec.ConsentSource = "form:" + sourceOrDefault(v.source)
		rec.ConsentTextHash = consentHash(v.consent)
		signup = &tokenSignup{Name: name, ConsentSource: rec.ConsentSource, ConsentTextHash: rec.ConsentTextHash}
	}
	rec.ConfirmationSentAt, rec.UpdatedAt = now, now
	email, _ := pii.NewEmail(norm)
	_, err = s.store.SaveSignup(ctx, rec, "subscribed", func(id int64) (*mail.Queued, error) {
		return s.confirmationMail(id, email, lists, signup)
	})
	if err == nil && s.notify != nil {
		s.notify.Notify()
	}
	return err
}

func (s *Service) sealName(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	return s.sealer.SealString(SealName, name)
}

// resolveLists maps slugs to lists; unknown slugs are an error naming the field.
func (s *Service) resolveLists(ctx context.Context, slugs []string) ([]int64, error) {
	if len(slugs) > MaxLists {
		return nil, errs.InvalidField("list", "Too many lists.")
	}
	if len(slugs) == 0 {
		slugs = []string{DefaultList}
	}
	all, err := s.Lists(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, slug := range slugs {
		i := slices.IndexFunc(all, func(l List) bool { return l.Slug == strings.TrimSpace(slug) })
		if i < 0 {
			return nil, errs.InvalidField("list", "There is no such list.")
		}
		if !slices.Contains(ids, all[i].ID) {
			ids = append(ids, all[i].ID)
		}
	}
	return ids, nil
}

// confirmationMail is the double opt-in mail. It echoes nothing the person typed: the
// sign-up's details travel only inside the sealed token.
func (s *Service) confirmationMail(id int64, to pii.Email, lists []int64, signup *tokenSignup) (*mail.Queued, error) {
	now := s.now()
	tok, err := s.seal(token{Purpose: purposeConfirm, Subscriber: id, Lists: lists, Issued: now.UnixMilli(),
		Expires: now.Add(s.opts.ConfirmTTL).Unix(), Signup: signup})
	if err != nil {
		return nil, err
	}
	link := s.opts.PublicURL + "/subscribe/confirm/" + tok
	text := fmt.Sprintf("Hello,\n\nSomeone, probably you, asked to receive the newsletter of %s at this address.\n\n"+
		"To confirm, open this link and press the button:\n%s\n\n"+
		"If it was not you, ignore this mail: without confirmation the address is deleted within %d days, and you will get no other mail from us.\n",
		s.opts.VendorName, link, int(s.opts.PendingTTL.Hours()/24+0.5))
	q, err := mail.Compose(s.sealer, mail.Draft{
		Purpose: "newsletter.confirm", SubscriberID: id, To: to,
		Content: mail.Content{Subject: "Please confirm your subscription to " + s.opts.VendorName, Text: mail.WithPrivacyFooter(text, s.opts.PublicURL)},
	}, s.opts.MailDomain, s.now())
	return &q, err
}

// CleanName trims a subscriber's name and refuses what could smuggle content into mail:
// URLs, line breaks and control or bidi-override characters, and over-long names.
func CleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	bad := errs.InvalidField("name", "Please enter just your name (no links or special characters).")
	switch {
	case !utf8.ValidString(name):
		return "", bad
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return "", errs.InvalidField("name", fmt.Sprintf("The name may have at most %d characters.", MaxNameRunes))
	case strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '<' || r == '>'
	}):
		return "", bad
	}
	lower := strings.ToLower(name)
	for _, marker := range []string{"://", "www.", "http", ".com", ".ru", ".net", ".org", ".io", "bcc:", "@"} {
		if strings.Contains(lower, marker) {
			return "", bad
		}
	}
	return name, nil
}

func sourceOrDefault(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return "website"
	}
	return s
}

// consentHash records which consent text was shown without storing the text itself.
func consentHash(version string) string {
	if version == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(version))
	return hex.EncodeToString(sum[:8])
}
