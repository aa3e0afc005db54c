-- name: stat-cells-add-empty
INSERT INTO stat_cells (site_id, span, day, dim, cells) VALUES (?, ?, ?, ?, ?)/*rows*/
    ON CONFLICT (site_id, span, day, dim) DO NOTHING;

-- name: stat-cells-lock
SELECT site_id, span, day, dim, cells FROM stat_cells
    WHERE (site_id, span, day, dim) IN (VALUES (CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT), ?)/*keys*/)
    ORDER BY site_id, span, day, dim{{FOR_UPDATE}};

-- name: stat-cells-merge
INSERT INTO stat_cells (site_id, span, day, dim, cells) VALUES (?, ?, ?, ?, ?)/*rows*/
    ON CONFLICT (site_id, span, day, dim) DO UPDATE SET cells = excluded.cells;

-- name: day-cells
SELECT span, day, dim, cells FROM stat_cells
    WHERE span = 1 AND site_id = ? AND day >= ? AND day <= ? AND dim IN (?/*dims*/);

-- name: day-cells-all
SELECT span, day, dim, cells FROM stat_cells WHERE span = 1 AND site_id = ? AND day >= ? AND day <= ?;

-- name: range-cells-days
SELECT span, day, dim, cells FROM stat_cells WHERE site_id = ? AND span = 1 AND day >= ? AND day <= ?;

-- name: range-cells-weeks
SELECT span, day, dim, cells FROM stat_cells WHERE site_id = ? AND span = 1 AND day >= ? AND day < ?
    UNION ALL SELECT span, day, dim, cells FROM stat_cells WHERE site_id = ? AND span = 7 AND day >= ? AND day <= ?
    UNION ALL SELECT span, day, dim, cells FROM stat_cells WHERE site_id = ? AND span = 1 AND day > ? AND day <= ?;

-- name: legacy-cells
SELECT day, dim, value, pageviews, visits, bounces, duration_ms, events, visitors_hll
    FROM stats WHERE site_id = ? AND day >= ? AND day <= ?/*and*/ ORDER BY day, dim, value;

-- name: add-site
INSERT INTO sites (name, domain, created_at) VALUES (?, ?, ?);

-- name: sites
SELECT id, name, domain FROM sites ORDER BY name;
