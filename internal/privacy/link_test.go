package privacy_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/sqldb"
)

// linkStore records the queued mail instead of reading it back from the outbox.
type linkStore struct {
	sqldb.SubjectStore
	queued []mail.Queued
}

func (s *linkStore) Queue(ctx context.Context, q mail.Queued) error {
	s.queued = append(s.queued, q)
	return s.SubjectStore.Queue(ctx, q)
}

// mailedToken returns the token of the last link mailed.
func (e *env) mailedToken(t *testing.T, st *linkStore) string {
	t.Helper()
	_, c, err := mail.Open(e.sealer, st.queued[len(st.queued)-1])
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/my-data/view\?t=(\S+)`).FindStringSubmatch(c.Text)
	if m == nil {
		t.Fatalf("no link in %q", c.Text)
	}
	raw, err := url.QueryUnescape(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Promise (issue 10 §3): the /my-data link is sealed, single purpose, expires after
// privacy.LinkTTL and erases once: a forged, altered, foreign, expired or used link
// opens nothing. Mailing one does the same for a known and an unknown address, and
// its audit entry holds no address.
func TestMyDataLinkIsSealedExpiringAndErasesOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	p := newPerson(1)
	e.subscriber(t, p)
	st := &linkStore{SubjectStore: sqldb.SubjectStore{DB: e.db}}
	now := t0.Add(time.Hour)
	links := privacy.NewLinks(st, e.sealer, e.audit, privacy.LinkOptions{PublicURL: "https://candor.test", VendorName: "Northwind"})
	links.SetClock(func() time.Time { return now })

	for _, addr := range []string{p.email, "nobody@example.test"} {
		if err := links.Mail(ctx, addr); err != nil {
			t.Fatal(err)
		}
	}
	if len(st.queued) != 2 || st.queued[0].Purpose != privacy.LinkMailPurpose || st.queued[1].Purpose != privacy.LinkMailPurpose {
		t.Fatalf("queued %d mails; want one link mail for the known and one for the unknown address", len(st.queued))
	}
	_, known, _ := mail.Open(e.sealer, st.queued[0])
	_, unknown, _ := mail.Open(e.sealer, st.queued[1])
	token := regexp.MustCompile(`t=\S+`)
	if known.Subject != unknown.Subject || token.ReplaceAllString(known.Text, "") != token.ReplaceAllString(unknown.Text, "") {
		t.Errorf("the mails to a known and an unknown address differ:\n%s\n%s", known.Text, unknown.Text)
	}
	if err := links.Mail(ctx, "not an address"); !errs.Is(err, errs.Invalid) {
		t.Errorf("Mail(bad address) = %v; want invalid", err)
	}

	raw := e.mailedToken(t, st)
	l, err := links.Open(ctx, raw)
	if err != nil || l.Email != "nobody@example.test" {
		t.Fatalf("Open = %+v, %v", l, err)
	}
	foreign, _ := e.sealer.SealString("newsletter.token", `{"p":"my-data/view","e":"x@example.test","x":99999999999}`)
	for name, bad := range map[string]string{
		"empty": "", "forged": "abc", "altered": raw[:len(raw)-2] + "AA", "another context's token": foreign,
		"too long": strings.Repeat("a", 2000),
	} {
		if _, err := links.Open(ctx, bad); !errs.Is(err, errs.NotFound) {
			t.Errorf("Open(%s) = %v; want not found", name, err)
		}
	}

	// Expired: LinkTTL after it was mailed.
	now = now.Add(privacy.LinkTTL + time.Second)
	if _, err := links.Open(ctx, raw); !errs.Is(err, errs.Invalid) {
		t.Errorf("Open(expired) = %v; want invalid (expired)", err)
	}

	// Erases once: after an erasure of the address the link is dead; a new one works.
	now = now.Add(time.Minute)
	e.svc.SetClock(func() time.Time { return now })
	if err := links.Mail(ctx, p.email); err != nil {
		t.Fatal(err)
	}
	raw = e.mailedToken(t, st)
	l, err = links.Open(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Second)
	if _, err := e.svc.EraseSelf(ctx, l.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := links.Open(ctx, raw); !errs.Is(err, errs.Conflict) {
		t.Errorf("Open(used for an erasure) = %v; want conflict", err)
	}
	now = now.Add(time.Second)
	if err := links.Mail(ctx, p.email); err != nil {
		t.Fatal(err)
	}
	if _, err := links.Open(ctx, e.mailedToken(t, st)); err != nil {
		t.Errorf("a link mailed after the erasure: %v", err)
	}

	entries, err := e.audit.List(ctx, audit.Filter{Action: "privacy.link", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("%d privacy.link audit entries; want 4", len(entries))
	}
	for _, en := range entries {
		if en.Actor != privacy.SelfActor || strings.Contains(en.Subject+en.Detail["mail"], "@") {
			t.Errorf("audit entry %+v", en)
		}
	}
}
