package analytics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// mayView is a stand-in for staff.Service.SubjectMay (tested in package staff): the
// creators who may view statistics.
type mayView map[string]bool

func (m mayView) SubjectMay(_ context.Context, subject string, perm staff.Permission) (bool, error) {
	return perm == staff.ViewStats && m[subject], nil
}

func (e *env) tokens() (*analytics.Tokens, *audit.Log) {
	t, log, _ := e.tokensOf()
	return t, log
}

// tokensOf also returns the creators who may view statistics (staff:4 and the CLI at first).
func (e *env) tokensOf() (*analytics.Tokens, *audit.Log, mayView) {
	log := audit.New(sqldb.AuditStore{DB: e.db}, func(purpose, v string) string { return staff.HashToken(purpose + v) })
	may := mayView{"staff:4": true, "cli": true}
	return analytics.NewTokens(sqldb.StatsTokenStore{DB: e.db}, log, may, e.clock.Now), log, may
}

// Promise: statistics API tokens are shown once and stored only as a hash; staff with
// the statistics permission manage them, every creation and revocation is audited, and a
// revoked token stops working at once.
func TestStatsTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tokens, log, may := e.tokensOf()
	analyst := staff.Principal{ID: 4, Role: staff.Analyst, Name: "staff:4"}

	if _, _, err := tokens.Create(ctx, staff.Principal{ID: 5, Role: staff.Marketing, Name: "staff:5"}, "x", 0); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("marketing creates a token: %v; want forbidden", err)
	}
	if _, _, err := tokens.Create(ctx, analyst, "  ", 0); !errs.Is(err, errs.Invalid) {
		t.Fatalf("unnamed token: %v; want invalid", err)
	}
	tok, secret, err := tokens.Create(ctx, analyst, "weekly report", e.site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, analytics.TokenPrefix) || len(secret) != len(analytics.TokenPrefix)+43 {
		t.Fatalf("secret %q: want the prefix and 32 random bytes in base64url", secret)
	}
	var stored int
	if err := e.db.QueryRow(ctx, "SELECT COUNT(*) FROM stats_tokens WHERE token_hash = ? AND token_hash <> ?",
		staff.HashToken(secret), secret).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("stored hash: %d rows, %v", stored, err)
	}
	var leaked int
	if err := e.db.QueryRow(ctx, "SELECT COUNT(*) FROM stats_tokens WHERE token_hash = ? OR name = ?", secret, secret).Scan(&leaked); err != nil || leaked != 0 {
		t.Fatalf("the secret itself is stored: %d rows, %v", leaked, err)
	}

	e.clock.t = day0.Add(time.Hour)
	got, who, err := tokens.Authenticate(ctx, secret)
	if err != nil || got.ID != tok.ID || !got.Covers(e.site.ID) || got.Covers(e.site.ID+1) || who.Can(staff.ReadInbox) || !who.Can(staff.ViewStats) {
		t.Fatalf("authenticate: %+v %+v %v", got, who, err)
	}
	list, err := tokens.List(ctx, analyst)
	if err != nil || len(list) != 1 || !list[0].LastUsed.Equal(day0.Add(time.Hour)) || list[0].CreatedBy != "staff:4" {
		t.Fatalf("list: %+v %v; want last used recorded", list, err)
	}
	for _, bad := range []string{"", "cst_", secret + "x", strings.TrimPrefix(secret, analytics.TokenPrefix), strings.Repeat("cst_", 40)} {
		if _, _, err := tokens.Authenticate(ctx, bad); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("authenticate(%q): %v; want unauthorized", bad, err)
		}
	}
	may["staff:4"] = false // disabled, removed, or moved to a role without statistics
	if _, _, err := tokens.Authenticate(ctx, secret); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("a token of a creator who may no longer view statistics: %v; want unauthorized", err)
	}
	may["staff:4"] = true
	if _, _, err := tokens.Authenticate(ctx, secret); err != nil {
		t.Fatalf("the creator may view statistics again: %v", err)
	}
	if _, err := tokens.Revoke(ctx, analyst, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tokens.Authenticate(ctx, secret); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("revoked token: %v; want unauthorized", err)
	}
	if _, err := tokens.Revoke(ctx, analyst, tok.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("revoking twice: %v; want not_found", err)
	}
	entries, err := log.List(ctx, audit.Filter{Action: "stats.token."})
	if err != nil || len(entries) != 2 || entries[0].Action != "stats.token.revoke" || entries[1].Action != "stats.token.create" ||
		entries[1].Actor != "staff:4" || entries[1].Detail["name"] != "weekly report" {
		t.Fatalf("audit: %+v %v", entries, err)
	}
	for _, en := range entries {
		if strings.Contains(audit.EncodeDetail(en.Detail), secret) {
			t.Fatal("the audit log holds the secret")
		}
	}
}
