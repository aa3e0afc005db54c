package cli

import (
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/analytics/geo"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/licencekey"
	"github.com/candor-dev/candor/internal/mail/imapin"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/sandbox"
	"github.com/candor-dev/candor/internal/payment/stripe"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/shop"
)

// The outside world of the configuration, for openApp: the logger, the data keys, the
// mail relay, the contact mailbox, the licence signing key, the card processor and the
// city database. Each error names the setting at fault.

// newLogger builds the structured logger. Handlers log ids and codes only (package web
// states the rule); this logger adds nothing that could identify a person.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// loadKeys reads CANDOR_KEYS when set, else the key file in the data directory,
// generating it (mode 0600) on first use.
func loadKeys(cfg config.Config, log *slog.Logger) (*pii.Keyring, error) {
	if cfg.Keys != "" {
		kr, err := pii.ParseKeyring(cfg.Keys)
		if err != nil {
			return nil, fmt.Errorf("setting --keys (CANDOR_KEYS): %w", err)
		}
		return kr, nil
	}
	kr, created, err := pii.LoadOrCreateKeyFile(cfg.KeyFile())
	if err != nil {
		return nil, fmt.Errorf("data keys in %s: %w", cfg.KeyFile(), err)
	}
	if created {
		log.Warn("generated new data keys; back them up, or move them to a secret store (see docs/keys.md)", "file", cfg.KeyFile())
	}
	return kr, nil
}

// openRelay connects the relay of --smtp; nil without the setting (mail then waits in
// the outbox).
func openRelay(cfg config.Config, out *egress.Dialer) (*smtp.Relay, error) {
	if cfg.SMTP == nil {
		return nil, nil
	}
	o, err := smtp.OptionsFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	o.Egress = out
	r, err := smtp.New(o)
	if err != nil {
		return nil, fmt.Errorf("setting --smtp (CANDOR_SMTP): %w", err)
	}
	return r, nil
}

// openContactIMAP builds the reader of --contact-imap (nil when unset).
func openContactIMAP(cfg config.Config, store imapin.State, out *egress.Dialer) (*imapin.Poller, error) {
	if cfg.ContactIMAP == nil {
		return nil, nil
	}
	var tc *tls.Config
	pool, err := config.CertPool("contact-imap-ca-file", cfg.ContactIMAPCAFile)
	if err != nil {
		return nil, err
	}
	if pool != nil {
		tc = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	p, err := imapin.NewPoller(imapin.Options{URL: cfg.ContactIMAP, TLSConfig: tc, Egress: out}, store)
	if err != nil {
		return nil, fmt.Errorf("setting --contact-imap: %w", err)
	}
	return p, nil
}

// loadLicenceKey loads the licence signing key, generating it on first use.
func loadLicenceKey(cfg config.Config, log *slog.Logger) (ed25519.PrivateKey, error) {
	_, statErr := os.Stat(cfg.LicenceKeyFile())
	key, err := licencekey.Load(cfg.LicenceKey, cfg.LicenceKeyFile())
	if err != nil {
		return nil, err
	}
	if cfg.LicenceKey == "" && errors.Is(statErr, fs.ErrNotExist) {
		log.Warn("generated a new licence signing key; back it up: licence keys already sold verify only with it (see docs/licences.md)", "file", cfg.LicenceKeyFile())
	}
	return key, nil
}

// paymentSetup is the processor chosen by --payment.
type paymentSetup struct {
	proc     payment.Processor
	sandbox  *sandbox.Sandbox      // test mode only
	webhooks payment.WebhookParser // Stripe with --stripe-webhook-secret only
}

// newPayment builds the card processor of the configuration: the built-in test
// processor, or Stripe (hosted or pass-through) at --stripe-api.
func newPayment(cfg config.Config, log *slog.Logger, out *egress.Dialer) (paymentSetup, error) {
	if cfg.Payment == shop.ModeTest {
		box := sandbox.New()
		return paymentSetup{proc: box, sandbox: box}, nil
	}
	c, err := stripe.New(stripe.Options{Key: cfg.StripeKey, API: cfg.StripeAPI, WebhookSecret: cfg.StripeWebhookSecret,
		HTTPClient: out.HTTPClient(0)})
	if err != nil {
		return paymentSetup{}, fmt.Errorf("setting --stripe-key (CANDOR_STRIPE_KEY): %w", err)
	}
	ps := paymentSetup{proc: c}
	if cfg.StripeWebhookSecret != "" {
		ps.webhooks = c
	} else {
		log.Warn("no --stripe-webhook-secret: POST /webhooks/stripe answers 404, payments settle only by the reconciliation job, and refunds or disputes made in Stripe's dashboard are not seen (docs/payments.md)")
	}
	return ps, nil
}

// openGeoCity opens the city database of --geoip-city; nil, and nothing opened,
// without the setting. The caller closes it once no hit is recorded any more.
func openGeoCity(cfg config.Config) (*geo.DB, error) {
	if cfg.GeoIPCity == "" {
		return nil, nil
	}
	db, err := geo.Open(cfg.GeoIPCity)
	if err != nil {
		return nil, fmt.Errorf("setting --geoip-city (%s): %w", config.EnvName("geoip-city"), err)
	}
	return db, nil
}

// statsOptions are the aggregator's options for the site hosts host and the city
// database city (nil: regions and cities are neither looked up nor counted).
func statsOptions(cfg config.Config, host func(int64) string, city *geo.DB) analytics.Options {
	o := analytics.Options{SiteHost: host, MinCount: cfg.StatsK}
	if city != nil {
		o.Geo = city.Lookup
	}
	return o
}
