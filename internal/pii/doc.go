// Package pii holds personal data and secrets: the types that carry them through the
// program without leaking, and the Sealer that keeps them encrypted at rest.
//
// # Keys
//
// A Keyring holds one index key and one or more seal keys, each 32 random bytes. Its
// text form (a key file, or the same text in an environment variable) is line based:
//
//	# Candor data keys: keep secret (mode 0600). ...
//	index BASE64
//	seal 1 BASE64
//	seal 2 BASE64
//
// The seal key with the highest id seals new data; every seal key in the ring opens
// data sealed with it. Rotation is: AddSealKey, write the file, restart every instance
// with the new file, then reseal old values (NeedsReseal, Reseal) and only then drop
// the old key. An instance that lacks a key fails to open values sealed with it
// (ErrUnknownKey); it never misreads them.
//
// The index key never rotates with the seal keys: a blind index is looked up by
// recomputing it from the query, so a new index key would orphan every stored index
// value until all of them were recomputed from the plaintext, and lookups by email
// would silently find nothing in the meantime.
//
// # Sealed values
//
// Seal writes "v1.<keyid>.<base64url, no padding, of nonce||ciphertext||tag>" with
// AES-256-GCM and a random 96-bit nonce. The context (a column name such as
// "staff.email") is bound as additional data, so a value copied to another column
// fails to open. Index is HMAC-SHA256 under the index key over purpose, a zero byte
// and the value, written as 64 lower-case hex digits.
//
// # Invariants
//
//   - No error returned by this package contains plaintext or key material. Parse
//     errors name the line number and the kind of fault, never the line's text.
//   - A key file is written atomically with mode 0600 and refused when group or others
//     may read it (checked on Unix-like systems only).
//   - Email and Secret print, log and marshal (fmt, slog, JSON, text) as a constant
//     mask; gob encoding and driver.Valuer refuse them. Their value sits behind a
//     pointer, so even a struct holding one in an unexported field, printed with %+v
//     or %#v, shows an address and not the value. Reveal is the one way out.
//   - A Keyring is not safe for concurrent mutation; a Sealer is immutable after
//     NewSealer and safe for concurrent use.
package pii
