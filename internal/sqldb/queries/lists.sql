-- name: create-list
INSERT INTO newsletter_lists (slug, name, description, created_at) VALUES (?, ?, ?, ?);

-- name: update-list
UPDATE newsletter_lists SET name = ?, description = ? WHERE id = ?;

-- name: lock-list
SELECT id FROM newsletter_lists WHERE id = ?{{FOR_UPDATE}};

-- name: campaigns-targeting-list
SELECT c.id, c.subject, c.status FROM campaigns c
    JOIN campaign_lists cl ON cl.campaign_id = c.id
    WHERE cl.list_id = ? AND c.status IN (?/*statuses*/) ORDER BY c.id;

-- name: delete-list
DELETE FROM newsletter_lists WHERE id = ?;

-- name: confirmed-per-list
SELECT sl.list_id, COUNT(*) FROM subscriber_lists sl
    JOIN subscribers s ON s.id = sl.subscriber_id
    WHERE sl.subscribed = 1 AND s.status = 'confirmed' GROUP BY sl.list_id;
