// Package web is Candor's HTTP surface: one routes file (routes.go) lists every route
// and who may call it; handlers decode, call the domain, and render.
//
// Invariants:
//   - Every response carries the security headers (headers.go); no page references a
//     third-party origin; every state-changing request passes cross-origin protection.
//   - Request bodies are capped; errors render through one table (errors.go) and never
//     show driver text; 5xx errors are logged with the request id.
//   - Logs carry method, route pattern, status, duration and request id: never a path
//     with personal data in it, a query string, a cookie, a form value or an IP address.
//   - The client IP (clientip.go) is believed from X-Forwarded-For only when the peer is
//     a configured trusted proxy; it lives in the request context and is never stored.
package web
