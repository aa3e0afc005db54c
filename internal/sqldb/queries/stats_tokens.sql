-- name: add-token
INSERT INTO stats_tokens (name, token_hash, site_id, created_by, created_at)
    VALUES (?, ?, ?, ?, ?);

-- name: tokens
SELECT id, name, site_id, created_by, created_at, last_used_at, revoked_at FROM stats_tokens ORDER BY id DESC;

-- name: token-by-hash
SELECT id, name, site_id, created_by, created_at, last_used_at, revoked_at FROM stats_tokens WHERE token_hash = ?;

-- name: revoke-token
UPDATE stats_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0
    RETURNING id, name, site_id, created_by, created_at, last_used_at, revoked_at;

-- name: touch-token
UPDATE stats_tokens SET last_used_at = ? WHERE id = ?;
