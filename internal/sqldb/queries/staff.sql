-- name: create-member
INSERT INTO staff (email_index, email_sealed, role, password_hash,
    must_change_password, created_at, password_changed_at, display_name_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: member-by-id
SELECT id, email_index, email_sealed, role, password_hash, must_change_password,
    COALESCE(totp_sealed, ''), COALESCE(totp_pending_sealed, ''), totp_last_step, failed_logins,
    locked_until, COALESCE(disabled_at, 0), created_at, password_changed_at, display_name_sealed FROM staff WHERE id = ?;

-- name: lock-member
SELECT id, email_index, email_sealed, role, password_hash, must_change_password,
    COALESCE(totp_sealed, ''), COALESCE(totp_pending_sealed, ''), totp_last_step, failed_logins,
    locked_until, COALESCE(disabled_at, 0), created_at, password_changed_at, display_name_sealed FROM staff WHERE id = ?{{FOR_UPDATE}};

-- name: member-by-email-index
SELECT id, email_index, email_sealed, role, password_hash, must_change_password,
    COALESCE(totp_sealed, ''), COALESCE(totp_pending_sealed, ''), totp_last_step, failed_logins,
    locked_until, COALESCE(disabled_at, 0), created_at, password_changed_at, display_name_sealed FROM staff WHERE email_index = ?;

-- name: list-members
SELECT id, email_index, email_sealed, role, password_hash, must_change_password,
    COALESCE(totp_sealed, ''), COALESCE(totp_pending_sealed, ''), totp_last_step, failed_logins,
    locked_until, COALESCE(disabled_at, 0), created_at, password_changed_at, display_name_sealed FROM staff ORDER BY id;

-- name: save-member
UPDATE staff SET role = ?, password_hash = ?, must_change_password = ?,
    totp_sealed = ?, totp_pending_sealed = ?, totp_last_step = ?, failed_logins = ?,
    locked_until = ?, disabled_at = ?, password_changed_at = ?, email_sealed = ?,
    display_name_sealed = ? WHERE id = ?;

-- name: lock-active-owners
SELECT id FROM staff WHERE role = 'owner' AND disabled_at IS NULL ORDER BY id{{FOR_UPDATE}};

-- name: count-active-owners
SELECT COUNT(*) FROM staff WHERE role = 'owner' AND disabled_at IS NULL;

-- name: clear-recovery-codes
DELETE FROM staff_recovery_codes WHERE staff_id = ?;

-- name: add-recovery-code
INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES (?, ?);

-- name: use-recovery-code
UPDATE staff_recovery_codes SET used_at = ? WHERE staff_id = ? AND code_hash = ? AND used_at IS NULL;

-- name: count-recovery-codes
SELECT COUNT(*) FROM staff_recovery_codes WHERE staff_id = ? AND used_at IS NULL;

-- name: create-session
INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, mfa_pending) VALUES (?, ?, ?, ?, ?);

-- name: session-by-hash
SELECT token_hash, staff_id, created_at, last_seen_at, mfa_pending FROM staff_sessions WHERE token_hash = ?;

-- name: update-session
UPDATE staff_sessions SET last_seen_at = ?, mfa_pending = ? WHERE token_hash = ?;

-- name: delete-session
DELETE FROM staff_sessions WHERE token_hash = ?;

-- name: delete-sessions
DELETE FROM staff_sessions WHERE staff_id = ? AND token_hash <> ?;

-- name: delete-sessions-before
DELETE FROM staff_sessions WHERE last_seen_at < ?;

-- name: setting
SELECT value FROM settings WHERE name = ?;

-- name: set-setting
INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value;
