// Package stripemock starts Stripe's own API mock, stripe-mock, for a test.
//
// stripe-mock answers every Stripe endpoint from Stripe's OpenAPI specification and
// fixtures: it checks the requests the adapter makes, but it keeps no state and never
// declines, so faults are the business of testkit/stripefake.
//
// Invariants: the mock listens on loopback only, on free ports, and is killed when the
// test ends; a missing binary skips the test, unless CI or CANDOR_REQUIRE_STRIPEMOCK=1
// is set, which fails it. It is never started with -strict-version-check.
//
// For tests only: nothing outside _test.go files, the other testkit packages and
// bench/ imports it.
package stripemock
