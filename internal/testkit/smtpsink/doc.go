// Package smtpsink is a counting SMTP server on loopback (built on
// github.com/emersion/go-smtp) that accepts every message and keeps only each
// Message-ID's delivery count: the crash and throughput tests and bench/mail count
// at it.
//
// For tests only: nothing outside _test.go files and bench/ imports it.
package smtpsink
