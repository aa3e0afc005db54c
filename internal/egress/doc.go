// Package egress is Candor's one way out: every outbound connection (the mail relay,
// the contact mailbox, the card processor's API, the ACME directory) is dialled by a
// Dialer that allows only the destinations the configuration names.
//
// A Dialer resolves a destination's name itself and connects only to an address it has
// checked, so neither a configured name nor DNS (rebinding included) can point a
// feature at a service on the machine or the private network, unless that destination
// allows private addresses (--egress-allow-private, or --smtp-allow-private for the
// relay alone). Proxy environment variables (HTTPS_PROXY, …) are ignored: only a proxy
// the configuration names (--egress-proxy) is used. A refused connection is logged
// with its host only and returned as an error wrapping ErrRefused.
//
// No other package opens a network connection or builds an http.Client or
// http.Transport: TestOneWayOut walks the source to hold that.
package egress
