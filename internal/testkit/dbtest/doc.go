// Package dbtest opens a fresh, migrated database for one test: a SQLite file in the
// test's temporary directory by default, or a new PostgreSQL database (dropped when the
// test ends) on the server that CANDOR_TEST_POSTGRES names, e.g.
// postgres://postgres@127.0.0.1:5432/postgres.
//
// SQLite uses a file rather than ":memory:" so that the writer and the read pool share
// one database, exactly as in production (WAL included).
//
// For tests only: nothing outside _test.go files, the other testkit packages and
// bench/ imports it.
package dbtest
