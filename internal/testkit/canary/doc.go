// Package canary searches files and text for canary values — a test email, name,
// IP address, user agent or card number — in every encoding a leak could take, so that
// tests can prove a promise such as "this value is never stored in the clear".
//
// Invariant: a search reports a hit for any listed encoding of any canary in any byte
// range of any regular file under the roots (database files with their WAL, logs, mail
// spools, backups, temp dirs); it never skips a file for its size or type.
//
// For tests only: nothing outside _test.go files, the other testkit packages and
// bench/ imports it.
package canary
