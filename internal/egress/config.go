package egress

import (
	"log/slog"
	"net/url"
	"strings"

	"github.com/candor-dev/candor/internal/config"
)

// ACMEDirectory is the ACME directory Candor obtains certificates from (autocert's
// default, Let's Encrypt).
const ACMEDirectory = "https://acme-v02.api.letsencrypt.org/directory"

// Destinations lists every place cfg lets Candor connect to: the same list the Dialer
// enforces, `candor config` prints and the /privacy page shows.
func Destinations(cfg config.Config) []Destination {
	var out []Destination
	if cfg.SMTP != nil {
		out = append(out, Destination{Purpose: "mail relay", Setting: "--smtp", Host: cfg.SMTP.Hostname(),
			Port:         portOf(cfg.SMTP, map[bool]string{true: "465", false: "587"}[cfg.SMTP.Scheme == "smtps"]),
			AllowPrivate: cfg.SMTPAllowPrivate || cfg.EgressAllowPrivate, PrivateSetting: "--smtp-allow-private (CANDOR_SMTP_ALLOW_PRIVATE=true)"})
	}
	if cfg.ContactIMAP != nil {
		out = append(out, Destination{Purpose: "contact mailbox", Setting: "--contact-imap", Host: cfg.ContactIMAP.Hostname(),
			Port:         portOf(cfg.ContactIMAP, map[bool]string{true: "993", false: "143"}[cfg.ContactIMAP.Scheme == "imaps"]),
			AllowPrivate: cfg.EgressAllowPrivate, PrivateSetting: privateSetting})
	}
	if cfg.Payment != "" && cfg.Payment != "test" && cfg.StripeAPI != nil {
		out = append(out, ProcessorDestination(cfg.StripeAPI, cfg.EgressAllowPrivate))
	}
	if len(cfg.ACMEDomains) > 0 {
		u, _ := url.Parse(ACMEDirectory)
		out = append(out, Destination{Purpose: "ACME directory", Setting: "--acme-domain", Host: u.Hostname(), Port: "443",
			AllowPrivate: cfg.EgressAllowPrivate, PrivateSetting: privateSetting})
	}
	return out
}

const privateSetting = "--egress-allow-private (CANDOR_EGRESS_ALLOW_PRIVATE=true)"

// ProcessorDestination is the card processor's API at api. Its literal loopback
// address (stripe-mock or a test double, the only place --stripe-api may be http://)
// is allowed as named; any other non-public address needs --egress-allow-private.
func ProcessorDestination(api *url.URL, allowPrivate bool) Destination {
	return Destination{Purpose: "card processor API", Setting: "--stripe-api", Host: api.Hostname(), Port: portOf(api, "443"),
		AllowPrivate: allowPrivate || IsLoopbackHost(api.Hostname()), PrivateSetting: privateSetting}
}

// FromConfig returns the Dialer of cfg: its destinations, its proxy, refusals logged to log.
func FromConfig(cfg config.Config, log *slog.Logger) *Dialer {
	return New(Options{Destinations: Destinations(cfg), Proxy: cfg.EgressProxy, Log: log})
}

// Listing is the allowed destinations as lines for `candor config` and /privacy:
// "none" when Candor connects nowhere.
func Listing(cfg config.Config) []string {
	var out []string
	for _, d := range Destinations(cfg) {
		out = append(out, d.String())
	}
	if cfg.EgressProxy != nil {
		out = append(out, "through the proxy "+strings.ToLower(cfg.EgressProxy.Host)+" (--egress-proxy)")
	}
	if len(out) == 0 {
		out = append(out, "none")
	}
	return out
}
