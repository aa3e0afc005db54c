// Package mail is Candor's outgoing mail: every message, transactional or campaign, is
// a row in the outbox (a per-recipient ledger) before it is sent, written in the same
// transaction as the change that causes it. Workers claim rows, send them through the
// configured relay and mark them; a crash repeats at most the messages in flight.
//
// Invariants:
//   - A transactional message's recipient and content are sealed at rest; a campaign
//     message stores only campaign and subscriber ids and is rendered at send time.
//   - Nothing from a message (recipient, subject, body) is ever logged; errors record the
//     SMTP code and class only.
//   - Without a relay nothing is sent: messages wait in the outbox, readable by staff
//     with the mail.outbox permission, marked as not sent.
package mail
