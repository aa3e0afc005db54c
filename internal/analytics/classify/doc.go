// Package classify turns the raw, identifying details of one page view — a
// user-agent string, a referrer, a path, an IP address, an Accept-Language
// header, a screen width — into the coarse categories that analytics
// aggregates count, so that the raw values can be forgotten at once.
//
// Invariants, kept by every function and checked by the tests and fuzz
// targets:
//
//   - Input is never stored. No function keeps a reference to its argument
//     past its return, and no returned string aliases (shares memory with)
//     an argument: results are table constants or fresh copies, so holding a
//     result as a map key cannot keep a log line, a user-agent string or a
//     referrer's query string alive in memory.
//   - Outputs are coarse categories: browser family and major version, OS
//     family, device class, bot flag; referrer host and kind (never its path
//     or query); a normalised path with only configured query parameters;
//     a country code; a primary language subtag; a screen-size class.
//   - Hostile input of any length is safe: every function looks at no more
//     than MaxInput (1 KiB) of its input, never panics, and does work
//     linear in that bounded length. Path output always starts with "/", is
//     at most MaxPath (256) bytes of valid UTF-8 and holds no control,
//     bidirectional-override or invisible format characters; Referrer hosts
//     hold only [a-z0-9._-] (or an IPv6 literal's hex digits and colons).
//   - Functions are pure: no I/O, no clock, no randomness, no globals written
//     after package initialisation; safe for concurrent use.
//   - Unknown values are Other (for Agent fields), "" for Country and
//     Language, "direct" for an unusable referrer.
//
// The country database is github.com/phuslu/iploc, embedded in the binary;
// Country never touches the network or the file system.
package classify
