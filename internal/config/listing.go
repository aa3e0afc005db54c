package config

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Entry is one line of the effective configuration.
type Entry struct {
	Name, Env, Value string
}

// Listing is the effective configuration for `candor config`: secrets redacted.
func (c Config) Listing() []Entry {
	get := c.values()
	out := make([]Entry, 0, len(settings))
	for _, s := range settings {
		v := get[s.name]
		if s.secret && v != "" {
			if s.show != nil {
				v = s.show(v)
			} else {
				v = "(set, redacted)"
			}
		}
		if s.name == "keys" && v == "" {
			v = "(generated in " + c.KeyFile() + ")"
		}
		out = append(out, Entry{Name: s.name, Env: EnvName(s.name), Value: v})
	}
	return out
}

// ListingByName is Listing as a map from setting name to its listed (redacted) value.
func (c Config) ListingByName() map[string]string {
	m := map[string]string{}
	for _, e := range c.Listing() {
		m[e.Name] = e.Value
	}
	return m
}

// values is every setting's effective value, as text, by name (TestListingCoversEverySetting).
func (c Config) values() map[string]string {
	m := map[string]string{
		"addr": c.Addr, "data-dir": c.DataDir, "db": c.DB, "keys": c.Keys,
		"demo": boolText(c.Demo), "public-url": c.PublicURL.String(),
		"site-origin": strings.Join(c.SiteOrigins, ","), "trusted-proxy": prefixes(c),
		"tls-cert": c.TLSCert, "tls-key": c.TLSKey, "acme-domain": strings.Join(c.ACMEDomains, ","),
		"acme-email": c.ACMEEmail, "acme-http-addr": c.ACMEHTTPAddr, "log-format": c.LogFormat,
		"log-level": c.LogLevel, "session-idle": c.SessionIdle.String(), "session-max": c.SessionAbsolute.String(),
		"max-body": itoa(c.MaxBodyBytes), "smtp": urlText(c.SMTP), "smtp-allow-private": boolText(c.SMTPAllowPrivate), "smtp-ca-file": c.SMTPCAFile,
		"smtp-rate": strconv.FormatFloat(c.SMTPRate, 'f', -1, 64), "mail-from": c.MailFrom.String(),
		"dkim-domain": c.DKIMDomain, "dkim-selector": c.DKIMSelector, "dkim-key": c.DKIMKey,
		"postal-address": c.PostalAddress, "privacy-intro": c.PrivacyIntro, "antibot-difficulty": strconv.Itoa(c.AntibotDifficulty), "stats-respect-dnt": boolText(c.StatsRespectDNT), "pending-ttl": c.PendingTTL.String(),
		"confirm-interval": c.ConfirmInterval.String(), "subscribe-thanks-url": c.ThanksURL,
		"contact-thanks-url": c.ContactThanksURL, "contact-reply-to": c.ContactReplyTo,
		"contact-imap": urlText(c.ContactIMAP), "contact-imap-ca-file": c.ContactIMAPCAFile, "contact-imap-every": c.ContactIMAPEvery.String(),
		"retention-spam": c.RetentionSpam.String(), "retention-review": c.RetentionReview.String(),
		"retention-closed": c.RetentionClosed.String(), "outbox-retention": c.OutboxRetention.String(),
		"retention-inactive": c.RetentionInactive.String(), "checkout-retention": c.CheckoutRetention.String(),
		"order-retention": c.OrderRetention.String(), "staff-retention": c.StaffRetention.String(),
		"stats-retention": c.StatsRetention.String(), "stats-k": strconv.Itoa(c.StatsK),
		"payment": c.Payment, "stripe-key": c.StripeKey, "stripe-api": c.StripeAPI.String(),
		"stripe-webhook-secret": c.StripeWebhookSecret, "licence-key": c.LicenceKey,
		"tax-rate": taxRates(c.TaxRates), "prices-include-tax": boolText(c.PricesIncludeTax),
		"download-ttl": c.DownloadTTL.String(), "order-link-ttl": c.OrderLinkTTL.String(),
		"coupon-hold":    c.CouponHold.String(),
		"stats-ip-limit": strconv.Itoa(c.StatsIPLimit), "geoip-city": c.GeoIPCity,
	}
	maps.Copy(m, c.keepValues())
	return m
}

func urlText(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func prefixes(c Config) string {
	var p []string
	for _, t := range c.TrustedProxies {
		p = append(p, t.String())
	}
	return strings.Join(p, ",")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// taxRates lists tax rates as CC=PERCENT, sorted by country.
func taxRates(m map[string]int) string {
	out := make([]string, 0, len(m))
	for cc, bp := range m {
		out = append(out, cc+"="+strconv.FormatFloat(float64(bp)/100, 'f', -1, 64))
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}
