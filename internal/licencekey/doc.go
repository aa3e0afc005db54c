// Package licencekey loads the Ed25519 key with which Candor signs licence keys.
//
// The key comes from the configuration (--licence-key, CANDOR_LICENCE_KEY or
// CANDOR_LICENCE_KEY_FILE: PEM, PKCS #8) or, when that is empty, from
// DATA-DIR/licence.key, which is generated on first use.
//
// Invariants:
//
//   - A generated key file is written with mode 0600 to a temporary file, synced, and
//     linked into place: a reader sees no file or the whole key, and two instances
//     starting together end up with one key (the loser reads the winner's file).
//   - An existing file is never replaced; one that is not a regular file, that group
//     or others may access (outside Windows), or that does not hold an Ed25519 PKCS #8
//     key is refused with an error naming the file and what to do.
//   - No error or log line contains key material.
package licencekey
