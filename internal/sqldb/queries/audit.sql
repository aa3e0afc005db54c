-- name: audit-next-seq
UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash;

-- name: audit-append
INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: audit-set-head
UPDATE audit_head SET hash = ? WHERE id = 1;

-- name: audit-list
SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log/*where*/
    ORDER BY seq DESC LIMIT ?;

-- name: audit-head
SELECT seq, hash FROM audit_head WHERE id = 1;

-- name: audit-walk
SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq;
