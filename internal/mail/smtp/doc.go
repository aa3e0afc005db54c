// Package smtp is the mail relay adapter: it implements mail.Sender over SMTP with
// github.com/wneessen/go-mail (connection, STARTTLS or implicit TLS, AUTH, MIME) and
// signs with github.com/emersion/go-msgauth (DKIM).
//
// Invariants:
//   - smtp:// always upgrades with STARTTLS and refuses a relay that does not offer it;
//     smtps:// is TLS from the first byte. Certificates are verified against the
//     system roots (Options.RootCAs replaces them, for tests only). Credentials never
//     travel outside TLS.
//   - Every connection goes through Dialer, which resolves the relay itself and refuses
//     loopback, private, link-local and other non-public addresses unless
//     --smtp-allow-private is set (no SSRF through the relay setting or a test mail).
//   - Connections are pooled (Options.Pool), each reused for many messages and renewed
//     after MaxPerConn messages, when idle too long, or on any error.
//   - Errors keep the SMTP stage, reply code and enhanced code only; the server's text,
//     which may quote the recipient, is dropped. 5xx to RCPT or after DATA is
//     permanent (a hard bounce for mailbox errors), 4xx and anything at connection or
//     MAIL FROM time is temporary (see mail.Classify).
//   - Campaign messages are always multipart/alternative (text and HTML); only the
//     headers in extraHeaders may be added by callers, and none may hold a line break.
package smtp
