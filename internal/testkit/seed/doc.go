// Package seed fills a database for campaign tests and benchmarks: Campaign makes a
// list, imports confirmed subscribers into it and starts a campaign to them, all
// through sqldb's NewsletterStore (so it writes exactly what the application writes,
// and repeats none of its SQL); Renderer renders the queued messages much as the
// newsletter does.
//
// For tests only: nothing outside _test.go files and bench/ imports it.
package seed
