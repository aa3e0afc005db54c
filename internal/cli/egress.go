package cli

import (
	"crypto/tls"
	"fmt"
	"io"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/egress"
)

// serverTLS sets the TLS policy of Candor's own listener on c: TLS 1.2 or later, and
// for TLS 1.2 only forward-secret AEAD suites (TLS 1.3's are all AEAD).
func serverTLS(c *tls.Config) *tls.Config {
	c.MinVersion = tls.VersionTLS12
	c.CipherSuites = []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	}
	return c
}

// printDestinations ends `candor config` with the outbound destinations the
// configuration allows, from the list the egress dialer enforces.
func printDestinations(w io.Writer, cfg config.Config) error {
	_, err := fmt.Fprintln(w, "\nOUTBOUND CONNECTIONS (only these; docs/security.md#one-way-out)")
	for _, line := range egress.Listing(cfg) {
		if _, err = fmt.Fprintln(w, "  "+line); err != nil {
			return err
		}
	}
	return err
}
