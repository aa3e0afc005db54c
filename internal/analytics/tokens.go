package analytics

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Token is a read-only API token for the statistics, as stored: never its secret, only
// the SHA-256 of it (kept by the store, not here).
type Token struct {
	ID        int64
	Name      string
	SiteID    int64  // the one site it reads; 0 for every site
	CreatedBy string // the audit name of who created it ("staff:3", "cli")
	CreatedAt time.Time
	LastUsed  time.Time // zero when never used (updated at most once a minute)
	RevokedAt time.Time // zero while valid
}

// Revoked reports whether the token was revoked.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// TokenStore keeps the tokens. TokenByHash and RevokeToken return not_found for an
// unknown id or hash; TokenByHash returns revoked tokens too (the domain refuses them).
type TokenStore interface {
	AddToken(ctx context.Context, t Token, hash string) (Token, error)
	Tokens(ctx context.Context) ([]Token, error)
	TokenByHash(ctx context.Context, hash string) (Token, error)
	RevokeToken(ctx context.Context, id int64, at time.Time) (Token, error)
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// Auditor records who did what (audit.Log).
type Auditor interface {
	Record(ctx context.Context, actor, action, subject string, detail ...string) error
}

// TokenPrefix starts every token's secret, so that a leaked one is recognisable (and
// found by secret scanners).
const TokenPrefix = "cst_"

// touchEvery is how stale LastUsed may get before a use writes it again.
const touchEvery = time.Minute

// Creators tells whether the creator of a token, by the name Token.CreatedBy records,
// may still do something (staff.Service.SubjectMay).
type Creators interface {
	SubjectMay(ctx context.Context, subject string, perm staff.Permission) (bool, error)
}

// Tokens creates, lists, revokes and checks the API tokens. Staff with staff.ViewStats
// manage them; a token acts as a read-only principal that can only read statistics, and
// only while its creator may (a member disabled, removed or moved to a role without
// staff.ViewStats takes their tokens' access with them; it comes back if they do).
type Tokens struct {
	store    TokenStore
	audit    Auditor
	creators Creators
	now      func() time.Time
}

// NewTokens returns the token manager; now may be nil (time.Now).
func NewTokens(store TokenStore, audit Auditor, creators Creators, now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	return &Tokens{store: store, audit: audit, creators: creators, now: now}
}

// Create makes a token named name for one site (siteID > 0) or all (0) and returns it
// with its secret, which exists nowhere else: show it once. The actor needs
// staff.ViewStats; the creation is audited (without the secret).
func (t *Tokens) Create(ctx context.Context, actor staff.Principal, name string, siteID int64) (Token, string, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return Token{}, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return Token{}, "", errs.InvalidField("name", "Name the token (1 to 100 characters), e.g. after the script that uses it.")
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Token{}, "", errs.Wrap(errs.Internal, "", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	tok, err := t.store.AddToken(ctx, Token{Name: name, SiteID: siteID, CreatedBy: actor.Name, CreatedAt: t.now().UTC()}, staff.HashToken(secret))
	if err != nil {
		return Token{}, "", err
	}
	if err := t.audit.Record(ctx, actor.Name, "stats.token.create", tokenSubject(tok.ID), "name", name, "site", strconv.FormatInt(siteID, 10)); err != nil {
		return Token{}, "", err
	}
	return tok, secret, nil
}

// List returns every token, revoked ones included; the actor needs staff.ViewStats.
func (t *Tokens) List(ctx context.Context, actor staff.Principal) ([]Token, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return nil, err
	}
	return t.store.Tokens(ctx)
}

// Revoke ends a token at once; the actor needs staff.ViewStats. Revoking a revoked
// token is not_found. The revocation is audited.
func (t *Tokens) Revoke(ctx context.Context, actor staff.Principal, id int64) (Token, error) {
	if err := actor.Require(staff.ViewStats); err != nil {
		return Token{}, err
	}
	tok, err := t.store.RevokeToken(ctx, id, t.now().UTC())
	if err != nil {
		return Token{}, err
	}
	return tok, t.audit.Record(ctx, actor.Name, "stats.token.revoke", tokenSubject(id), "name", tok.Name)
}

var errBadToken = errs.E(errs.Unauthorized, "A valid API token is required.")

// Authenticate returns the token whose secret this is and the principal it acts as (a
// read-only analyst named "stats-token:ID"). Any failure (malformed, unknown, revoked,
// a creator who may no longer read statistics) is the same unauthorized error, with no
// detail.
func (t *Tokens) Authenticate(ctx context.Context, secret string) (Token, staff.Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return Token{}, staff.Principal{}, errBadToken
	}
	tok, err := t.store.TokenByHash(ctx, staff.HashToken(secret))
	switch {
	case errs.Is(err, errs.NotFound):
		return Token{}, staff.Principal{}, errBadToken
	case err != nil:
		return Token{}, staff.Principal{}, err
	case tok.Revoked():
		return Token{}, staff.Principal{}, errBadToken
	}
	if ok, err := t.creators.SubjectMay(ctx, tok.CreatedBy, staff.ViewStats); err != nil {
		return Token{}, staff.Principal{}, err
	} else if !ok {
		return Token{}, staff.Principal{}, errBadToken
	}
	if now := t.now().UTC(); now.Sub(tok.LastUsed) >= touchEvery {
		if err := t.store.TouchToken(ctx, tok.ID, now); err != nil {
			return Token{}, staff.Principal{}, err
		}
		tok.LastUsed = now
	}
	return tok, staff.Principal{Role: staff.Analyst, Name: tokenSubject(tok.ID)}, nil
}

// Covers reports whether the token may read site siteID.
func (t Token) Covers(siteID int64) bool { return t.SiteID == 0 || t.SiteID == siteID }

func tokenSubject(id int64) string { return "stats-token:" + strconv.FormatInt(id, 10) }
