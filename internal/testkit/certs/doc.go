// Package certs makes throwaway self-signed TLS certificates for 127.0.0.1, ::1 and
// localhost, with the pool that trusts them, for the test mail and IMAP servers.
//
// For tests only: nothing outside _test.go files, the other testkit packages and
// bench/ imports it.
package certs
