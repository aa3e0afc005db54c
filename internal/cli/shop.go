package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/licencekey"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/sandbox"
	"github.com/candor-dev/candor/internal/payment/stripe"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
)

// paymentSetup is the processor chosen by --payment.
type paymentSetup struct {
	proc     payment.Processor
	sandbox  *sandbox.Sandbox      // test mode only
	webhooks payment.WebhookParser // Stripe with --stripe-webhook-secret only
}

// newPayment builds the card processor of the configuration: the built-in test
// processor, or Stripe (hosted or pass-through) at --stripe-api.
func newPayment(cfg config.Config) (paymentSetup, error) {
	if cfg.Payment == shop.ModeTest {
		box := sandbox.New()
		return paymentSetup{proc: box, sandbox: box}, nil
	}
	c, err := stripe.New(stripe.Options{Key: cfg.StripeKey, API: cfg.StripeAPI, WebhookSecret: cfg.StripeWebhookSecret,
		HTTPClient: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}})
	if err != nil {
		return paymentSetup{}, fmt.Errorf("setting --stripe-key (CANDOR_STRIPE_KEY): %w", err)
	}
	ps := paymentSetup{proc: c}
	if cfg.StripeWebhookSecret != "" {
		ps.webhooks = c
	}
	return ps, nil
}

// openShop loads the licence signing key (generating it on first use) and builds the
// shop over the configured processor.
func (a *app) openShop() error {
	_, statErr := os.Stat(a.cfg.LicenceKeyFile())
	key, err := licencekey.Load(a.cfg.LicenceKey, a.cfg.LicenceKeyFile())
	if err != nil {
		return err
	}
	if a.cfg.LicenceKey == "" && errors.Is(statErr, fs.ErrNotExist) {
		a.log.Warn("generated a new licence signing key; back it up: licence keys already sold verify only with it (see docs/licences.md)", "file", a.cfg.LicenceKeyFile())
	}
	ps, err := newPayment(a.cfg)
	if err != nil {
		return err
	}
	a.payment = ps
	if a.cfg.Payment != shop.ModeTest && ps.webhooks == nil {
		a.log.Warn("no --stripe-webhook-secret: POST /webhooks/stripe answers 404, payments settle only by the reconciliation job, and refunds or disputes made in Stripe's dashboard are not seen (docs/payments.md)")
	}
	seller := vendorName(a.cfg)
	if a.cfg.PostalAddress != "" {
		seller += ", " + a.cfg.PostalAddress
	}
	a.shop = shop.New(sqldb.ShopStore{DB: a.db}, ps.proc, a.sealer, shop.LicenceSigner{Key: key}, a.audit, a.mailer, shop.Options{
		Mode: a.cfg.Payment, PublicURL: strings.TrimSuffix(a.cfg.PublicURL.String(), "/"), MailDomain: mailDomain(a.cfg),
		Seller: seller, TaxRates: a.cfg.TaxRates, PricesIncludeTax: a.cfg.PricesIncludeTax,
		DownloadTTL: a.cfg.DownloadTTL, OrderLinkTTL: a.cfg.OrderLinkTTL, CouponHold: a.cfg.CouponHold, Log: a.log,
	})
	return nil
}
