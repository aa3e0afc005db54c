// Package audit is the append-only, hash-chained log of who did what: sign-ins and their
// failures, staff and permission changes, and every view and export of personal data.
//
// Invariants:
//   - Entries are only appended. Each entry's hash is a keyed MAC over the previous
//     entry's hash and every field of the entry, so changing, deleting or reordering a
//     row breaks the chain at that row, and without the installation's key nobody can
//     recompute a valid chain. Verify names the first row that does not fit.
//   - Entries name people by id ("staff:3", "subscriber:17"), never by email or name;
//     Detail holds no personal data.
package audit
