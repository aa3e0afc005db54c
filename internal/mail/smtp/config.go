package smtp

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/candor-dev/candor/internal/config"
)

// OptionsFromConfig returns the relay options of a configuration: --smtp,
// --smtp-allow-private, --mail-from and the DKIM settings. It is an error to call it
// when no relay is configured (cfg.SMTP is nil): then nothing is sent.
func OptionsFromConfig(cfg config.Config) (Options, error) {
	if cfg.SMTP == nil {
		return Options{}, errors.New("no mail relay is configured (--smtp)")
	}
	o := Options{URL: cfg.SMTP, AllowPrivate: cfg.SMTPAllowPrivate, From: cfg.MailFrom}
	if cfg.SMTPCAFile != "" {
		pem, err := os.ReadFile(cfg.SMTPCAFile)
		if err != nil {
			return Options{}, fmt.Errorf("setting --smtp-ca-file: %w", err)
		}
		o.RootCAs = x509.NewCertPool()
		if !o.RootCAs.AppendCertsFromPEM(pem) {
			return Options{}, errors.New("setting --smtp-ca-file: no PEM certificate in the file")
		}
	}
	if cfg.DKIMKey != "" {
		d, err := NewDKIM(cfg.DKIMDomain, cfg.DKIMSelector, cfg.DKIMKey)
		if err != nil {
			return Options{}, err
		}
		o.DKIM = d
	}
	return o, nil
}
