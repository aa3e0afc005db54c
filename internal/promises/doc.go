// Package promises checks, on the running configuration and the stored data, that the
// privacy policy's promises hold: `candor audit privacy` runs every check once, and
// `candor serve` runs them daily, keeps the last result of each (for the admin
// Promises page) and mails the owners a link when one turns red.
//
// Invariants:
//   - A Result never carries personal data: its message and details hold check ids,
//     counts, table and column names, retention rule names, audit entry numbers, host
//     names of destinations and file names relative to the data directory; never a
//     matched value (a card number, an address, an unsealed text).
//   - Every check backs one promise of the policy and quotes its words (Check.Promise).
//   - A check that cannot run reports StatusError, never StatusOK.
//   - The package is a domain package: it declares the interfaces it reads through
//     (Data, Chain, Ledger, OwnerMail) and imports no database or HTTP code.
package promises
