// Package proc starts the real programs the tests talk to (mailpit, stripe-mock)
// as child processes on loopback ports, and stops them when the test ends.
//
// Invariants: a program listens only on 127.0.0.1; it is killed and reaped when the
// test ends; a missing binary skips the test, or fails it when the environment
// requires the program (CI, or the variable the caller names).
//
// For tests only: nothing outside _test.go files, the other testkit packages and
// bench/ imports it.
package proc
