// Package analytics counts visits to the vendor's websites without keeping any visitor.
//
// Invariants, kept by this package and proved by its tests:
//
//   - A Hit's IP address and user agent live only in memory, only during Record: they are
//     classified (browser, OS, device, country, bot; region and city with Options.Geo)
//     and keyed into a visitor hash, then forgotten. Neither, nor any hash of them, is
//     written to storage or logged.
//   - The visitor hash is HMAC-SHA256(salt, site|ip|ua). The salt is random, held only in
//     memory, and replaced at every start and at each UTC midnight, so the same person
//     gets a new hash the next day or after a restart. Hashes key an in-memory map that
//     tracks visits (a visit ends after 30 minutes idle) and feed HyperLogLog sketches.
//   - Storage holds aggregates only: per site, UTC day (and ISO week), dimension and
//     value, the sums of page views, visits, bounces, visit duration, events and
//     visitors, packed one row per site, day and dimension (DayCells). Visitors are
//     estimated in memory with HyperLogLog sketches that live only as long as the salt;
//     storage receives counts, never a sketch. Never a row per hit or per visitor.
//   - Memory is bounded: Record refuses (returns false) when the pending aggregates or the
//     live visits reach their bounds, and every dimension keeps at most Options.MaxValues
//     distinct values per site and day, the rest counted as "(other)".
//   - The visitors of the last five minutes (Aggregator.Live) are counted in memory only,
//     per site in a ring of per-minute sketches, never stored, and suppressed below k.
//   - Every report passes through Reports, which folds any cell standing for fewer than
//     k visitors (default 5, never below 2) into "(other)" and shows it as "< k".
package analytics
