// Package accesslog turns web-server access logs (Apache and nginx "combined" and
// "common", or a GoAccess-style format string) into analytics page views.
//
// Invariants, kept by this package and proved by its tests:
//
//   - A log line lives only in a reused buffer while it is parsed. Its IP address and
//     user agent reach analytics.Aggregator.Record, which forgets them; this package
//     never stores, logs or prints a line, an address or an agent, not even in errors
//     (a malformed line is counted, not quoted).
//   - What is remembered about an ingested file (State) is its identity (device and
//     inode), a keyed hash of its first line (HeadHash, supplied by the caller so that
//     it cannot be reversed by guessing addresses) and the number of bytes ingested.
//     The same content read twice — the same file, a copy, the file gzipped after
//     rotation, or the same bytes on standard input — is counted once.
//   - The offset is saved only after the aggregates of the lines before it were
//     flushed, so a failure never loses counted lines; a crash between the two writes
//     can count at most one flush interval twice (documented in docs/analytics-logs.md).
//   - Recording never drops a hit for lack of room: when the aggregator refuses, the
//     ingester flushes and retries (back-pressure).
//   - Parsing never panics on any input (FuzzParseLine) and does not use regular
//     expressions: one pass of byte scanning per line, no allocation for lines that are
//     filtered out.
package accesslog
