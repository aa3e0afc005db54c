// Package mailpit starts a real mailpit on random loopback ports for one test (with
// STARTTLS on a fresh self-signed certificate, optionally AUTH, implicit TLS, a
// recipient allow-list or chaos) and reads what it received through its REST API.
//
// For tests only: nothing outside _test.go files imports it.
package mailpit
