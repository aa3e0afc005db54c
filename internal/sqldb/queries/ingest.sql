-- name: ingest-state
SELECT device, inode, ingested_bytes, updated_at FROM ingest_logs WHERE site_id = ? AND head_hash = ?;

-- name: save-ingest-state
INSERT INTO ingest_logs (site_id, head_hash, device, inode, ingested_bytes, updated_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (site_id, head_hash) DO UPDATE SET device = excluded.device, inode = excluded.inode,
    	ingested_bytes = excluded.ingested_bytes, updated_at = excluded.updated_at;
