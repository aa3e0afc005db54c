package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
)

// StatsTokenStore keeps the statistics API tokens (their hashes, never their secrets);
// it implements analytics.TokenStore.
type StatsTokenStore struct{ DB *DB }

var _ analytics.TokenStore = StatsTokenStore{}

func scanStatsToken(sc interface{ Scan(...any) error }) (analytics.Token, error) {
	var t analytics.Token
	var site sql.NullInt64
	var created, used, revoked int64
	if err := sc.Scan(&t.ID, &t.Name, &site, &t.CreatedBy, &created, &used, &revoked); err != nil {
		return t, translate(err) // Row.Scan: no row is not_found
	}
	t.SiteID = site.Int64
	t.CreatedAt, t.LastUsed, t.RevokedAt = millis(created), millis(used), millis(revoked)
	return t, nil
}

// AddToken stores a new token with the hash of its secret.
func (s StatsTokenStore) AddToken(ctx context.Context, t analytics.Token, hash string) (analytics.Token, error) {
	var site any
	if t.SiteID > 0 {
		site = t.SiteID
	}
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		t.ID, err = InsertID(ctx, tx, query("add-token"), t.Name, hash, site, t.CreatedBy, toMillis(t.CreatedAt))
		return err
	})
	return t, err
}

// Tokens returns every token, newest first.
func (s StatsTokenStore) Tokens(ctx context.Context) ([]analytics.Token, error) {
	rows, err := s.DB.Query(ctx, query("tokens"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []analytics.Token
	for rows.Next() {
		t, err := scanStatsToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, translate(rows.Err())
}

// TokenByHash returns the token with that secret hash, revoked or not; not_found when none.
func (s StatsTokenStore) TokenByHash(ctx context.Context, hash string) (analytics.Token, error) {
	return scanStatsToken(s.DB.QueryRow(ctx, query("token-by-hash"), hash))
}

// RevokeToken marks a valid token revoked at at; not_found when it is unknown or
// already revoked.
func (s StatsTokenStore) RevokeToken(ctx context.Context, id int64, at time.Time) (analytics.Token, error) {
	var t analytics.Token
	err := s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		t, err = scanStatsToken(tx.QueryRow(ctx, query("revoke-token"), toMillis(at), id))
		return err
	})
	return t, err
}

// TouchToken records that a token was used at at.
func (s StatsTokenStore) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		return Affected(tx.Exec(ctx, query("touch-token"), toMillis(at), id))
	})
}
