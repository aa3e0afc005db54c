// Package imapd runs an IMAP server for tests, on loopback, over implicit TLS with a
// fresh self-signed certificate, with one user and an INBOX:
//
//   - Dovecot (Debian's dovecot-imapd, which scripts/test.sh installs), a private
//     instance started for the test, when it is installed and the tests run as root (it
//     drops its own privileges); required when CANDOR_REQUIRE_DOVECOT=1 (scripts/test.sh
//     sets it once Dovecot is installed);
//   - otherwise go-imap's in-memory server (imapserver/imapmemserver, a complete IMAP4rev1
//     server of the same project as the client Candor uses), in process.
//
// What Candor relies on (LOGIN, SELECT read-only, UID FETCH of header fields and of a
// partial BODY.PEEK[], UID SEARCH) is standard IMAP that both speak.
//
// For tests only: nothing outside _test.go files, the other testkit packages and
// bench/ imports it.
package imapd
