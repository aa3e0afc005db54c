// Package staff holds the rules of staff access: accounts, roles and their permissions,
// passwords, sessions, the TOTP second factor and sign-in throttling.
//
// Invariants:
//   - Authorization is decided here, not only in handlers: every Service method that
//     reads or changes staff data takes the acting Principal and checks its permission.
//   - Passwords are stored only as argon2id hashes; session tokens and recovery codes
//     only as SHA-256 hashes; the staff email and the TOTP secret only sealed.
//   - Every sign-in failure looks the same to the caller (one message, similar time),
//     whether the account exists, is locked, is disabled or the code is wrong.
//   - The client IP used for throttling is held in memory only, never stored.
//   - A password change or reset revokes every other session of that member.
//   - Colleagues see one another by display name (sealed at rest, set only by its
//     member) or as "Staff #N", never by email; only ManageStaff lists emails.
package staff
