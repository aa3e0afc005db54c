// Package shop holds the rules of the vendor's shop: the catalogue (products, editions
// with prices in several currencies, downloads, coupons), checkout with tax, orders as
// a state machine, card payments through a payment.Processor, fulfilment (signed
// licence keys, a receipt through the mail outbox), refunds, the customer's order page
// and the staff views.
//
// Invariants:
//   - No card number or CVC is stored or logged: a card reaches the shop only as a
//     *payment.Card, is handed to the processor's Tokenize and cleared at once. An order
//     keeps the processor's ids and the card's brand, last 4 and expiry month/year.
//   - An order's status only moves forward (CanMove): pending → paid → fulfilled, with
//     failed, refunded and disputed as the other ends. A late or repeated webhook or a
//     second return from the card company cannot move it back.
//   - One idempotency key per payment attempt (ref/attempt), reused on every retry of
//     that attempt, and a claim in the database so that two submits of one checkout
//     reach the processor once: a customer is never charged twice for one order.
//   - A webhook event is recorded and its effects (payment, invoice number, licence,
//     receipt mail) are written in one transaction; a redelivered event changes nothing.
//   - Refunds are reserved against the order in the database before the processor is
//     asked, so concurrent refunds can never exceed what was paid.
//   - The buyer's name and email are sealed at rest; staff views of an order are
//     audited; customers reach their orders only through signed, expiring links.
//   - In test mode every page, mail and receipt says TEST MODE.
package shop
