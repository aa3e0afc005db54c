// Package stripefake is a FAKE of the few Stripe API endpoints Candor uses, for
// tests of the faults that Stripe's own mock (stripe-mock, see testkit/stripemock)
// cannot produce: declines, 429, 500, a request that hangs, and an answer lost after
// the charge succeeded. It is NOT Stripe and NOT a mock of Stripe's whole API: use
// stripe-mock to check that requests are well formed, and this fake only to script
// failures and count what was charged.
//
// What it does like Stripe: idempotency keys (the same key and parameters replay the
// first answer, a decline included; the same key with other parameters is a 400
// idempotency_error); PaymentIntents created and confirmed in one request; refunds
// bounded by the amount; card errors (402) that carry the PaymentIntent. Everything
// else is simplified: every non-declined payment succeeds at once.
//
// Invariants: it listens on loopback only and stops when the test ends; it keeps a
// card's brand and last 4, never its number; it is safe for concurrent requests,
// which it serializes, so two concurrent requests with one key create one payment.
//
// For tests only: nothing outside _test.go files, the other testkit packages and
// bench/ imports it.
package stripefake
