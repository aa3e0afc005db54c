// Package antibot is Candor's spam defence for public forms (the newsletter subscribe
// form, the contact form, any later public write path), with no third party: a
// honeypot, a signed time trap, a self-hosted proof-of-work, per-IP and per-address
// rate limits, and content heuristics. One Guard serves every form; the web layer
// decodes a request of any content type into a Submission, calls Check once, and acts
// on the Verdict.
//
// # Flow
//
// Issue(formID) returns the values of the form's hidden fields: a time token and a
// proof-of-work challenge. Candor-rendered pages embed them; antibot.js (served from
// internal/web/static) fetches a fresh set from GET /antibot/challenge?form=… (see
// package antibothttp), finds a nonce such that SHA-256(challenge ":" nonce) starts
// with the challenge's number of zero bits, fills the hidden fields and submits.
// Check verifies, in this order, stopping at the first failure:
//
//  1. the form id (set by the handler, never by the client) is well formed;
//  2. honeypot: a filled FieldHoneypot → Honeypot (answer as if accepted, store nothing);
//  3. per-IP rate limit → RateLimited;
//  4. time trap: a present token that is malformed, forged, for another form, younger
//     than MinAge or older than MaxAge → Reject; an absent one → NeedsReview;
//  5. proof-of-work: a present challenge that is malformed, forged, for another form,
//     expired, or solved wrongly → Reject; already spent → Reject; replay memory full
//     → RateLimited; no challenge or no nonce (no JavaScript) → NeedsReview;
//  6. per-address rate limit (the email's blind index) → RateLimited, counted only
//     after the cryptographic checks, so a bot must pay for every attempt it charges
//     to someone else's address;
//  7. content heuristics: a score at or above SpamThreshold → Spam (filed, never
//     dropped); otherwise NeedsReview when step 4 or 5 said so, else Accept.
//
// # Keys
//
// Tokens are authenticated with HMAC-SHA256 (truncated to 128 bits) under a key that
// New derives once from the injected MAC function, which in Candor is
// pii.Sealer.Index: every instance sharing the key file derives the same key, so a
// token issued by one instance verifies on another, and there is no new secret to
// configure. The derivation uses its own purpose ("antibot.key"), so the derived key
// is unrelated to every blind index.
//
// # Invariants
//
//   - A Verdict carries only codes from this package (Outcome, Reason, Signals), never
//     any part of the input; Submission prints and logs as its form id only.
//   - The client IP and the address key live only in the limiters' memory (package
//     limiter), which is bounded; an IPv6 client is limited by its /64.
//   - Issue is stateless. Only a spent challenge is remembered, in memory, until it
//     expires, at most ReplayCapacity of them: when full, new solutions are refused
//     (RateLimited) rather than the memory growing.
//   - No token parser panics on any input (fuzzed), and a token is authenticated
//     before any field inside it is trusted.
//
// # Limits
//
// Proof-of-work raises the cost of each submission; it is not a wall: a bot can solve
// challenges too (Solve does). Replay memory and rate limits are per process: behind
// a load balancer with N instances a solved challenge can be spent at most once per
// instance, and each instance counts its own limits.
package antibot
