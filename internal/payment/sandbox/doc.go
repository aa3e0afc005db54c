// Package sandbox is Candor's built-in test processor ("test mode", --payment test):
// a payment.Processor that answers like Stripe's test cards, in memory, so the whole
// shop can be tried without a Stripe account. Config refuses it on a public https
// address.
//
// Invariants:
//   - It never keeps a card number: a tokenized method keeps only its behaviour, brand,
//     last 4 and expiry. Test cards are recognised with CardNumber.Equal, so the digits
//     are never copied to a string here.
//   - Pay and Refund are idempotent per key: the same key with the same request returns
//     the first result (success or decline); the same key with a different request is
//     an InvalidRequest "idempotency_key_reused". An empty key is refused.
//   - A refund never exceeds what is left of the payment.
//   - State is guarded by one mutex; a Sandbox is safe for concurrent use.
//   - Any valid card that is not a test card is declined ("live_card_in_test_mode").
package sandbox
