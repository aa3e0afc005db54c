-- The record of data requests (SubjectStore, data_requests.go).

-- name: create-data-request
INSERT INTO data_requests (kind, channel, email_index, email_sealed, received_at, deadline_at, actor)
    VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: finish-data-request
UPDATE data_requests SET done_at = ?, counts = ? WHERE id = ?;

-- name: data-requests
SELECT id, kind, channel, email_index, email_sealed, received_at, deadline_at, done_at, actor, counts
    FROM data_requests/*where*/ ORDER BY id DESC LIMIT ?;

-- name: data-request-last-erasure
SELECT COALESCE(MAX(received_at), 0) FROM data_requests WHERE email_index = ? AND kind = 'erase';
