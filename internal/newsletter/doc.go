// Package newsletter holds the rules of the newsletter: subscribing with double opt-in,
// confirming, one-click unsubscribing, list preferences, the suppression list, retention
// of unconfirmed sign-ups, and campaigns.
//
// Invariants:
//   - Subscribe answers the same whether or not the address is known (no enumeration).
//   - A subscription becomes confirmed only by a POST carrying a sealed, expiring token
//     (never a raw id) that was mailed to the address.
//   - Unsubscribing from everything erases the subscriber: only the keyed blind index of
//     the address remains, in the suppression list, so no import can add it back.
//   - Names never carry URLs, control characters or line breaks; the confirmation mail
//     echoes nothing the person typed (no backscatter through the form).
//   - A list's slug (what the website's form posts) never changes; the default list is
//     never deleted, nor a list that a campaign not yet finished (draft, scheduled,
//     sending, paused) targets.
//   - Staff access is checked here (Principal.Require) and every view or export of a
//     subscriber is audited; campaigns carry no per-recipient open or click tracking.
package newsletter
