package web

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	agekey "filippo.io/age"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/privacy"
)

// noticeDay is the day the test notices are published on.
var noticeDay = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// testNotice publishes the privacy notice of cfg as `candor serve` does.
func testNotice(t *testing.T, cfg config.Config) *privacy.Published {
	t.Helper()
	p, err := PublishPrivacyNotice(cfg, "Test Vendor", egress.Listing(cfg), noticeDay)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// notice fetches /privacy.json and /privacy.
func (e *env) notice() (privacyJSON, string) {
	e.t.Helper()
	c := e.client()
	r := c.get("/privacy.json")
	want(e.t, r, http.StatusOK)
	var n privacyJSON
	if err := json.Unmarshal([]byte(r.body), &n); err != nil {
		e.t.Fatalf("/privacy.json: %v\n%s", err, r.body)
	}
	h := c.get("/privacy")
	want(e.t, h, http.StatusOK)
	return n, h.body
}

func retentionOf(n privacyJSON, rule string) string {
	for _, p := range n.Facts.Retention {
		if p.Rule == rule {
			return p.Period
		}
	}
	return ""
}

// Promise (issue 10 §2): /privacy says what the running configuration does. Each row
// changes one setting; the JSON and the page must change accordingly, and neither may
// show a secret or the database's address.
func TestPrivacyNoticeFollowsTheConfiguration(t *testing.T) {
	id, err := agekey.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	introFile := filepath.Join(t.TempDir(), "intro.md")
	must(t, os.WriteFile(introFile, []byte("# Our promise\n\nWe sell *tools*.\n\n<script>alert(1)</script>\n"), 0o600))
	base := newEnv(t)
	baseNotice, _ := base.notice()
	rows := []struct {
		name  string
		args  []string
		check func(n privacyJSON) bool
		page  []string // the HTML must contain each
		never []string // neither the HTML nor the JSON may contain any
	}{
		{"defaults", nil, func(n privacyJSON) bool {
			return retentionOf(n, "order") == "10 years" && slices.Equal(n.Facts.OutsideParties, []string{"none"}) &&
				n.Facts.Payment.Mode == "test" && n.Facts.Statistics.MinVisitors == 5 && n.Facts.Statistics.RespectDNT &&
				!n.Facts.Statistics.CityDatabase && n.Facts.Backups == nil && n.Facts.Storage.Database == "SQLite"
		}, []string{"10 years", "fewer than 5 visitors", "no scheduled backups", `href="/my-data"`, "Test Vendor"}, nil},
		{"order retention", []string{"--order-retention", "43800h"}, func(n privacyJSON) bool { return retentionOf(n, "order") == "5 years" },
			[]string{"5 years"}, nil},
		{"checkout retention", []string{"--checkout-retention", "240h"}, func(n privacyJSON) bool { return retentionOf(n, "checkout") == "10 days" },
			[]string{"10 days"}, nil},
		{"smtp relay", []string{"--smtp", "smtp://mailer:hunter2secret@relay.example.net:587"}, func(n privacyJSON) bool {
			return strings.Contains(strings.Join(n.Facts.OutsideParties, "\n"), "relay.example.net")
		}, []string{"relay.example.net"}, []string{"hunter2secret", "mailer:"}},
		{"payment mode", []string{"--payment", "hosted", "--stripe-key", "sk_test_notshownanywhere"}, func(n privacyJSON) bool {
			return n.Facts.Payment.Mode == "hosted" && strings.Contains(strings.Join(n.Facts.OutsideParties, "\n"), "api.stripe.com")
		}, []string{"Stripe (its own payment page)", "api.stripe.com"}, []string{"sk_test_notshownanywhere"}},
		{"imap mailbox", []string{"--contact-imap", "imaps://box:imapsecret1@imap.example.net:993/INBOX"}, func(n privacyJSON) bool {
			return strings.Contains(strings.Join(n.Facts.OutsideParties, "\n"), "imap.example.net")
		}, []string{"imap.example.net"}, []string{"imapsecret1"}},
		{"stats-k", []string{"--stats-k", "12"}, func(n privacyJSON) bool { return n.Facts.Statistics.MinVisitors == 12 },
			[]string{"fewer than 12 visitors"}, nil},
		{"respect-dnt off", []string{"--stats-respect-dnt=false"}, func(n privacyJSON) bool { return !n.Facts.Statistics.RespectDNT },
			[]string{"does not honour Do Not Track"}, nil},
		{"city database", []string{"--geoip-city", "/srv/geo/city.mmdb"}, func(n privacyJSON) bool { return n.Facts.Statistics.CityDatabase },
			[]string{"regions and cities"}, []string{"/srv/geo"}},
		{"stats retention", []string{"--stats-retention", "17520h"}, func(n privacyJSON) bool { return n.Facts.Statistics.Period == "2 years" },
			[]string{"Statistics are deleted 2 years after the day they count"}, nil},
		{"backups", []string{"--backup-dir", t.TempDir(), "--backup-recipient", id.Recipient().String(), "--backup-every", "12h", "--backup-keep", "4"},
			func(n privacyJSON) bool {
				return n.Facts.Backups != nil && n.Facts.Backups.ErasedAfter == "2 days" && n.Facts.Backups.Keep == 4
			}, []string{"at most 2 days after it was erased"}, nil},
		{"postgresql", []string{"--db", "postgres://candor:dbpass77@db.internal.example:5432/candor"}, func(n privacyJSON) bool {
			return n.Facts.Storage.Database == "PostgreSQL"
		}, []string{"PostgreSQL database"}, []string{"db.internal.example", "dbpass77"}},
		{"postal address", []string{"--postal-address", "12 Harbour Road, Cork"}, func(n privacyJSON) bool {
			return n.Facts.PostalAddress == "12 Harbour Road, Cork"
		}, []string{"12 Harbour Road, Cork"}, nil},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e := base
			if row.args != nil {
				e = newEnv(t, row.args...)
			}
			n, page := e.notice()
			if !row.check(n) {
				raw, _ := json.MarshalIndent(n.Facts, "", " ")
				t.Errorf("the facts do not follow %v:\n%s", row.args, raw)
			}
			for _, s := range row.page {
				if !strings.Contains(page, s) {
					t.Errorf("/privacy lacks %q", s)
				}
			}
			raw, _ := json.Marshal(n)
			for _, s := range row.never {
				if strings.Contains(page, s) || strings.Contains(string(raw), s) {
					t.Errorf("the notice shows %q", s)
				}
			}
			if row.args != nil && n.Version == baseNotice.Version {
				t.Errorf("the version did not change with %v", row.args)
			}
		})
	}
	t.Run("intro", func(t *testing.T) {
		e := newEnv(t, "--privacy-intro", introFile)
		n, page := e.notice()
		if !strings.Contains(page, "<h1>Our promise</h1>") || !strings.Contains(page, "<em>tools</em>") || strings.Contains(page, "<script>alert") {
			t.Errorf("the intro is not rendered safely:\n%s", page)
		}
		if n.Version != baseNotice.Version {
			t.Error("the vendor's intro changed the version of the generated part")
		}
	})
}

// Promise (issue 10 §2): every public page Candor serves links the privacy notice, error
// pages included.
func TestPublicPagesLinkThePrivacyNotice(t *testing.T) {
	e := newEnv(t)
	shopFixture(t, e)
	link := []string{`<a href="/privacy">Privacy</a>`}
	var rows []scenario
	for _, p := range []struct {
		url    string
		status int
	}{
		{"/", 200}, {"/subscribe", 200}, {"/subscribe/thanks", 200}, {"/contact", 200}, {"/contact/thanks", 200},
		{"/subscribe/confirm/not-a-token", 404}, {"/unsubscribe/not-a-token", 404}, {"/preferences/not-a-token", 404},
		{"/shop", 200}, {"/buy/tool/std", 200}, {"/orders/find", 200}, {"/orders/find/sent", 200},
		{e.shopPaths["GET /checkout/{ref}/pay"], 200}, {e.shopPaths["GET /orders/{ref}"], 200}, {"/privacy", 200},
	} {
		rows = append(rows, scenario{Name: "footer of " + p.url, URL: p.url, Status: p.status, Contains: link})
	}
	e.scenarios(t, rows)
}
