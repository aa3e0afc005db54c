// Package e2e holds Candor's end-to-end tests: they run the real command (cli.Run, as
// main does) with a temporary data directory, start the real server on 127.0.0.1:0 and
// talk to it over HTTP, exactly as an operator and a browser would. SQLite is used by
// default; with CANDOR_TEST_POSTGRES set, every test gets a fresh PostgreSQL database.
//
// Invariant checked throughout: what the process writes to its logs (stderr) never
// contains a password, a session token, a TOTP secret or an email address.
//
// The package has no non-test code besides this file.
package e2e
