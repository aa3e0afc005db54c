// Package payment is the card processor as the shop sees it: the Processor interface,
// its errors, and the card types that carry a customer's card to it.
//
// Invariants:
//   - A card number and a CVC live only in CardNumber and CVC, which keep their digits
//     in a []byte behind a pointer to a pointer. Every output path (every fmt verb,
//     even inside unexported struct fields, slog, JSON, text) prints a mask; gob and
//     driver.Valuer refuse them, so card digits cannot reach a log, a response, a
//     gob stream or an SQL column by accident.
//   - Reveal is the one way to read the digits, and only processor adapters call it
//     (payment/stripe in pass-through mode, payment/sandbox). The shop clears a Card
//     with Clear right after Processor.Tokenize returns.
//   - Errors about card input are errs.InvalidField for "card_number", "card_exp" or
//     "card_cvc" with a fixed message: they never contain what was typed.
//   - What the shop may store about a card is a Method: the processor's id, the brand,
//     the last four digits and the expiry month and year. Nothing more.
//   - Money is an int64 of minor units plus an ISO 4217 currency code.
//
// What Go can and cannot guarantee about wiping card digits is written on Card.Clear.
package payment
