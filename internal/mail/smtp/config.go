package smtp

import (
	"errors"

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
	var err error
	if o.RootCAs, err = config.CertPool("smtp-ca-file", cfg.SMTPCAFile); err != nil {
		return Options{}, err
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
