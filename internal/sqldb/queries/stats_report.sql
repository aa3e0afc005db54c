-- name: delete-report-subscription
DELETE FROM stats_report_subscriptions WHERE staff_id = ? AND site_id = ?;

-- name: add-report-subscription
INSERT INTO stats_report_subscriptions (staff_id, site_id, created_at, last_week)
    SELECT ?, id, ?, ? FROM sites WHERE id = ?
    ON CONFLICT (staff_id, site_id) DO NOTHING;

-- name: site-exists
SELECT COUNT(*) FROM sites WHERE id = ?;

-- name: report-subscribed
SELECT COUNT(*) FROM stats_report_subscriptions WHERE staff_id = ? AND site_id = ?;

-- name: due-report-subscriptions
SELECT r.staff_id, st.role, st.email_sealed, si.id, si.name, si.domain
    FROM stats_report_subscriptions r
    JOIN staff st ON st.id = r.staff_id
    JOIN sites si ON si.id = r.site_id
    WHERE st.disabled_at IS NULL AND r.last_week < ?
    ORDER BY r.site_id, r.staff_id;

-- name: queue-weekly-report
UPDATE stats_report_subscriptions SET last_week = ?
    WHERE staff_id = ? AND site_id = ? AND last_week < ?;
