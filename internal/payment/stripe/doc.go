// Package stripe is the payment.Processor and payment.WebhookParser for Stripe, over
// github.com/stripe/stripe-go: pass-through mode (Tokenize and Pay with Candor's own
// card form, which needs Stripe's raw card data access) and hosted mode (StartHosted
// and HostedPayment with Stripe Checkout).
//
// Invariants:
//   - Card digits leave Candor only in Tokenize's request to Stripe; they are never
//     logged (stripe-go's logger is silenced), kept, or put in an error.
//   - Errors are mapped by type and fields (*stripe.Error's HTTP status, type, code and
//     decline code), never by message text; their causes carry the status, type,
//     codes and request id, never Stripe's message, the request, or the secret key.
//   - Every request that moves money carries the caller's idempotency key (an empty
//     one is refused), and stripe-go's network retries reuse it, so a lost answer is
//     retried without charging twice.
//   - Webhooks are verified over the raw body with the endpoint's signing secret and a
//     300 s tolerance either way; without a secret every webhook is refused.
package stripe
