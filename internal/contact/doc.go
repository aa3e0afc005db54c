// Package contact holds the rules of the contact form and the staff inbox: validating
// and storing what people write, filing it into folders, notes, assignment, replies by
// mail, export and retention.
//
// Invariants:
//   - What a person writes (name, address, subject, message) and every reply or note is
//     sealed at rest; the sender is found by a blind index of the address. No IP address
//     or user agent is ever stored.
//   - Names and subjects never hold CR, LF or other control characters, so nothing typed
//     into the form can inject a mail header.
//   - Nothing from a message is echoed into any automatic mail: there is no auto-reply,
//     and the staff notification carries only a link to the conversation (personal
//     data does not travel into third-party mailboxes). Spam and honeypot submissions
//     notify nobody.
//   - A contact-form address never becomes a newsletter subscriber (purpose limitation).
//   - Every staff method checks staff.ReadInbox here, in the domain, and is audited
//     before any data is returned (fail closed: no audit entry, no data). The audit log
//     records ids and counts, never text.
//   - A reply is queued in the mail outbox in the same transaction as its message row,
//     threaded with Message-ID, In-Reply-To and References.
//   - Retention is a hard delete: spam and "needs review" after 30 days, closed after
//     a year (configurable), counted from the last folder change; new, open and waiting
//     a year after the last activity (--retention-inactive, enforced by the retention
//     job in internal/cli with sqldb.RetentionStore).
package contact
