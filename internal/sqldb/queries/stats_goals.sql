-- name: add-goal
INSERT INTO stats_goals (site_id, kind, value, created_at) VALUES (?, ?, ?, ?);

-- name: goals
SELECT id, site_id, kind, value, created_at FROM stats_goals WHERE site_id = ? ORDER BY id;

-- name: delete-goal
DELETE FROM stats_goals WHERE site_id = ? AND id = ? RETURNING id, site_id, kind, value, created_at;
