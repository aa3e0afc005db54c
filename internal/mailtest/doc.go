// Package mailtest holds test helpers for mail: a real mailpit started on random
// loopback ports and read through its REST API (StartMailpit), a counting SMTP sink
// built on github.com/emersion/go-smtp (NewSink), self-signed certificates for
// STARTTLS (NewCert), and database seeding for campaign tests and benchmarks
// (SeedCampaign, Renderer).
//
// Nothing here is used outside tests and bench/.
package mailtest
