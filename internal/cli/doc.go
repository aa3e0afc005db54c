// Package cli is the candor command: it parses the command line, builds the
// configuration and wires storage, keys, domains and the web server together.
//
// Run is shared by main and the end-to-end tests, which start the real server on a
// random port with a temporary data directory.
//
// Invariant: nothing printed by a command contains a secret (passwords, keys, tokens,
// DSN passwords) except what the command exists to show once: a generated one-time
// password, printed to the operator's own terminal.
package cli
