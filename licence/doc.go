// Package licence signs and verifies offline licence keys with Ed25519.
//
// Candor's shop signs a key for every licence it sells; the vendor's own software
// imports this package (standard library only) and checks a key with the public key
// it embeds, without any network call:
//
//	pub, err := licence.ParsePublicKey("CANDORPK1-…") // printed by `candor licence public-key`
//	l, err := licence.Verify(pub, keyTypedByTheCustomer, time.Now())
//
// A key is text such as CANDOR1-04000-000D6-…: the prefix, then the payload (version,
// dates, seats, ID, product, edition) and its 64-byte signature in Crockford base32,
// grouped by five. docs/licences.md describes it byte by byte, for verifiers written
// in other languages.
//
// Invariants:
//
//   - A key holds no personal data: Licence has no field for a name or an email
//     address, so a leaked key reveals nobody.
//   - Every key that Sign returns passes Verify's checks, and Verify accepts no text
//     that is not, after case folding, Crockford aliases and the removal of dashes and
//     whitespace, exactly a text that Sign returned: decoding is canonical and Go's
//     Ed25519 rejects non-canonical signatures.
//   - Input is bounded before any work: at most 1024 bytes of text and 397 base32
//     characters are looked at; the signature is checked before the payload is parsed.
//   - Errors from Verify wrap exactly one of ErrMalformed, ErrSignature, ErrExpired;
//     with ErrExpired the genuine Licence is returned too.
package licence
