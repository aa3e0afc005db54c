// Package geodb writes a tiny city database for tests: 203.0.113.0/24 (TEST-NET-3)
// lies in the city Testville, region XA-TS, country XA; every other address is unknown.
//
// For tests only: nothing outside _test.go files imports it.
package geodb
