package config

import (
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// setting describes one configuration value: its flag, environment variable, default,
// help text and how to store it into a Config.
type setting struct {
	name   string // flag name; the environment variable is CANDOR_ + upper(name with - → _)
	def    string
	help   string
	secret bool                  // redacted in listings; also read from CANDOR_…_FILE
	bool   bool                  // a flag that takes no value
	list   bool                  // repeatable flag; comma-separated in the environment
	show   func(v string) string // how a secret is shown in listings; default "(set)"
	set    func(c *Config, v string) error
}

// EnvName is the environment variable of a setting.
func EnvName(name string) string {
	return "CANDOR_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// settings is the one table of every setting, in the order `candor config` prints them.
var settings = []setting{
	{name: "addr", def: "127.0.0.1:8080", help: "listen address HOST:PORT", set: func(c *Config, v string) error {
		c.Addr = v
		return checkAddr(v)
	}},
	{name: "data-dir", def: "candor-data", help: "directory for the SQLite database, generated keys and the ACME cache", set: func(c *Config, v string) error {
		c.DataDir = v
		return nonEmpty(v)
	}},
	{name: "db", def: "", help: "database: sqlite:PATH or postgres://USER@HOST/DB (default sqlite:DATA-DIR/candor.db)", secret: true, show: redactURL, set: func(c *Config, v string) error {
		c.DB = v
		if v != "" && !strings.HasPrefix(v, "sqlite:") && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
			return fmt.Errorf(`must start with "sqlite:" or "postgres://"`)
		}
		return nil
	}},
	{name: "keys", def: "", help: "data keys for sealing personal data (the text of a key file); default: generated into DATA-DIR/keys", secret: true, set: func(c *Config, v string) error {
		c.Keys = v
		return nil
	}},
	{name: "demo", bool: true, def: "false", help: "seed a demo site, products and an owner account (loopback only)", set: func(c *Config, v string) (err error) {
		c.Demo, err = strconv.ParseBool(v)
		return err
	}},
	{name: "public-url", def: "", help: "the URL people reach Candor at, base of links in mail (default http://ADDR)", set: func(c *Config, v string) error {
		if v == "" {
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("must be an http or https URL such as https://candor.example.com")
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		c.PublicURL = u
		return nil
	}},
	{name: "site-origin", list: true, help: "the vendor's website origin, trusted for cross-origin form posts (repeatable)", set: func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("%q is not an origin such as https://www.example.com", v)
		}
		c.SiteOrigins = append(c.SiteOrigins, u.Scheme+"://"+u.Host)
		return nil
	}},
	{name: "trusted-proxy", list: true, help: "CIDR of a reverse proxy whose X-Forwarded-For is trusted (repeatable)", set: func(c *Config, v string) error {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			ip, err2 := netip.ParseAddr(v)
			if err2 != nil {
				return fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or an IP address", v)
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
		return nil
	}},
	{name: "tls-cert", help: "TLS certificate file (PEM); with --tls-key", set: func(c *Config, v string) error { c.TLSCert = v; return nil }},
	{name: "tls-key", help: "TLS private key file (PEM)", set: func(c *Config, v string) error { c.TLSKey = v; return nil }},
	{name: "acme-domain", list: true, help: "obtain a certificate for this domain by ACME (repeatable; needs ports 80 and 443)", set: func(c *Config, v string) error {
		if strings.ContainsAny(v, "/:@ ") || !strings.Contains(v, ".") {
			return fmt.Errorf("%q is not a domain name", v)
		}
		c.ACMEDomains = append(c.ACMEDomains, strings.ToLower(v))
		return nil
	}},
	{name: "acme-email", help: "contact email for the ACME account", set: func(c *Config, v string) error { c.ACMEEmail = v; return nil }},
	{name: "acme-http-addr", def: ":80", help: "listener for ACME challenges and the HTTP→HTTPS redirect", set: func(c *Config, v string) error {
		c.ACMEHTTPAddr = v
		return checkAddr(v)
	}},
	{name: "smtp", help: "mail relay: smtp://USER:PASS@HOST:587 (STARTTLS) or smtps://USER:PASS@HOST:465 (implicit TLS); unset: mail stays in the outbox", secret: true, show: redactURL, set: func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || u.Path != "" && u.Path != "/" {
			return fmt.Errorf("must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
		}
		c.SMTP = u
		return nil
	}},
	{name: "smtp-allow-private", bool: true, def: "false", help: "allow a mail relay on loopback or a private address range", set: func(c *Config, v string) (err error) {
		c.SMTPAllowPrivate, err = strconv.ParseBool(v)
		return err
	}},
	{name: "smtp-ca-file", help: "PEM file of the certificates to trust for the relay's TLS instead of the system roots (a relay with a private CA)", set: func(c *Config, v string) error {
		c.SMTPCAFile = v
		return nil
	}},
	{name: "smtp-rate", def: "100", help: "most messages per second sent through the relay", set: func(c *Config, v string) (err error) {
		c.SMTPRate, err = strconv.ParseFloat(v, 64)
		if err == nil && (c.SMTPRate <= 0 || c.SMTPRate > 100000) {
			err = fmt.Errorf("must be between 0 and 100000")
		}
		return err
	}},
	{name: "mail-from", help: "sender of every mail, e.g. 'Northwind <news@example.com>' (default noreply@ the public URL's host)", set: func(c *Config, v string) error {
		a, err := mail.ParseAddress(v)
		if err != nil || strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("%q is not a mail address such as 'Name <news@example.com>'", v)
		}
		c.MailFrom = a
		return nil
	}},
	{name: "dkim-domain", help: "sign outgoing mail with DKIM for this domain (with --dkim-selector and --dkim-key)", set: func(c *Config, v string) error { c.DKIMDomain = v; return nil }},
	{name: "dkim-selector", help: "DKIM selector: the DNS record is SELECTOR._domainkey.DOMAIN", set: func(c *Config, v string) error { c.DKIMSelector = v; return nil }},
	{name: "dkim-key", help: "DKIM private key, PEM (RSA 2048+ or Ed25519)", secret: true, set: func(c *Config, v string) error { c.DKIMKey = v; return nil }},
	{name: "postal-address", help: "the vendor's postal address, shown in every campaign's footer", set: func(c *Config, v string) error {
		c.PostalAddress = v
		return nil
	}},
	{name: "privacy-intro", help: "Markdown file of the vendor's own words shown above the generated privacy notice (/privacy)", set: func(c *Config, v string) error {
		c.PrivacyIntro = v
		return nil
	}},
	{name: "antibot-difficulty", def: "15", help: "proof-of-work difficulty of the public forms in bits (each +1 doubles a browser's work; 15 ≈ 1 s on a phone)", set: func(c *Config, v string) (err error) {
		c.AntibotDifficulty, err = strconv.Atoi(v)
		if err == nil && (c.AntibotDifficulty < 1 || c.AntibotDifficulty > 24) {
			err = fmt.Errorf("must be between 1 and 24")
		}
		return err
	}},
	{name: "stats-respect-dnt", bool: true, def: "true", help: "drop visitor-statistics hits from browsers that send Sec-GPC: 1 or DNT: 1 (on by default; =false counts them)", set: func(c *Config, v string) (err error) {
		c.StatsRespectDNT, err = strconv.ParseBool(v)
		return err
	}},
	{name: "pending-ttl", def: "168h", help: "unconfirmed newsletter subscriptions are deleted after this long", set: func(c *Config, v string) (err error) {
		c.PendingTTL, err = duration(v, time.Hour, 90*24*time.Hour)
		return err
	}},
	{name: "confirm-interval", def: "3h", help: "at most one confirmation mail per address per this interval", set: func(c *Config, v string) (err error) {
		c.ConfirmInterval, err = duration(v, time.Minute, 7*24*time.Hour)
		return err
	}},
	{name: "subscribe-thanks-url", help: "where a plain subscribe form post lands (default Candor's own thank-you page)", set: func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("must be an http or https URL")
		}
		c.ThanksURL = v
		return nil
	}},
	{name: "contact-thanks-url", help: "where a plain contact form post lands (default Candor's own thank-you page)", set: func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("must be an http or https URL")
		}
		c.ContactThanksURL = v
		return nil
	}},
	{name: "contact-reply-to", help: "Reply-To address of inbox replies (default none: answers go to --mail-from)", set: func(c *Config, v string) error {
		a, err := mail.ParseAddress(v)
		if err != nil || strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("must be an email address")
		}
		c.ContactReplyTo = a.Address
		return nil
	}},
	{name: "contact-imap", help: "read people's answers to inbox replies from this mailbox: imaps://USER:PASS@HOST:993/MAILBOX (implicit TLS) or imap://USER:PASS@HOST:143/MAILBOX (STARTTLS); unset: answers stay in that mailbox", secret: true, show: redactURL, set: func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "imaps" && u.Scheme != "imap") || u.Hostname() == "" || u.User == nil || u.User.Username() == "" {
			return fmt.Errorf("must look like imaps://user:pass@host:993/INBOX or imap://user:pass@host:143/INBOX")
		}
		c.ContactIMAP = u
		return nil
	}},
	{name: "contact-imap-ca-file", help: "PEM file of the certificates to trust for the mailbox's TLS instead of the system roots (a server with a private CA)", set: func(c *Config, v string) error {
		c.ContactIMAPCAFile = v
		return nil
	}},
	{name: "contact-imap-every", def: "1m", help: "how often the mailbox of --contact-imap is read", set: func(c *Config, v string) (err error) {
		c.ContactIMAPEvery, err = duration(v, 10*time.Second, 24*time.Hour)
		return err
	}},
	{name: "retention-spam", def: "720h", help: "contact messages in the spam folder are deleted this long after they were filed there", set: func(c *Config, v string) (err error) {
		c.RetentionSpam, err = duration(v, time.Hour, 10*365*24*time.Hour)
		return err
	}},
	{name: "retention-review", def: "720h", help: "contact messages left in \"needs review\" are deleted this long after they arrived there", set: func(c *Config, v string) (err error) {
		c.RetentionReview, err = duration(v, time.Hour, 10*365*24*time.Hour)
		return err
	}},
	{name: "retention-closed", def: "8760h", help: "closed contact conversations are deleted this long after they were closed", set: func(c *Config, v string) (err error) {
		c.RetentionClosed, err = duration(v, time.Hour, 10*365*24*time.Hour)
		return err
	}},
	{name: "retention-inactive", def: "8760h", help: "new, open and waiting contact conversations are deleted this long after their last activity", set: func(c *Config, v string) (err error) {
		c.RetentionInactive, err = duration(v, 24*time.Hour, 10*365*24*time.Hour)
		return err
	}},
	{name: "stats-k", def: "5", help: "small-count suppression: statistics cells standing for fewer visitors than this are shown as \"< k\" (at least 2)", set: func(c *Config, v string) (err error) {
		c.StatsK, err = strconv.Atoi(v)
		if err == nil && (c.StatsK < 2 || c.StatsK > 1000) {
			err = fmt.Errorf("must be between 2 and 1000")
		}
		return err
	}},
	{name: "stats-ip-limit", def: "60", help: "statistics hits (POST /collect, /pixel.gif) counted per client address per minute, bursts of twice that; beyond, hits are answered and not counted (0: no limit)", set: func(c *Config, v string) (err error) {
		c.StatsIPLimit, err = strconv.Atoi(v)
		if err == nil && (c.StatsIPLimit < 0 || c.StatsIPLimit > 1_000_000) {
			err = fmt.Errorf("must be between 0 (no limit) and 1000000")
		}
		return err
	}},
	{name: "geoip-city", help: "MaxMind DB city file (GeoIP2/GeoLite2-City, DB-IP city lite) the vendor supplies: visitor statistics count regions and cities too (default none)", set: func(c *Config, v string) error {
		c.GeoIPCity = v
		return nil
	}},
	{name: "payment", def: "test", help: "how cards are paid: test (built-in test processor, never in production), hosted (Stripe Checkout) or pass-through (Candor's card form, forwarded to Stripe)", set: func(c *Config, v string) error {
		c.Payment = v
		return oneOf(v, "test", "hosted", "pass-through")
	}},
	{name: "stripe-key", help: "Stripe secret API key (sk_live_… or sk_test_…) for --payment hosted or pass-through", secret: true, set: func(c *Config, v string) error {
		c.StripeKey = v
		return nil
	}},
	{name: "stripe-api", def: "https://api.stripe.com", help: "Stripe API base URL (change only for stripe-mock in tests)", set: func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%q is not an http(s) URL", v)
		}
		c.StripeAPI = u
		return nil
	}},
	{name: "stripe-webhook-secret", help: "signing secret of the Stripe webhook endpoint POST /webhooks/stripe (whsec_…)", secret: true, set: func(c *Config, v string) error {
		c.StripeWebhookSecret = v
		return nil
	}},
	{name: "licence-key", help: "Ed25519 private key that signs licence keys (PEM, PKCS #8); default: generated into DATA-DIR/licence.key", secret: true, set: func(c *Config, v string) error {
		c.LicenceKey = v
		return nil
	}},
	{name: "tax-rate", list: true, help: "sales tax (VAT) rate of a buyer's country, CC=PERCENT, e.g. DE=19 (repeatable); countries not listed pay none", set: func(c *Config, v string) error {
		cc, pct, ok := strings.Cut(v, "=")
		bp, err := percentBasisPoints(pct)
		if !ok || len(cc) != 2 || strings.ToUpper(cc) != cc || err != nil {
			return fmt.Errorf("%q is not COUNTRY=PERCENT like DE=19 or IE=23", v)
		}
		if c.TaxRates == nil {
			c.TaxRates = map[string]int{}
		}
		c.TaxRates[cc] = bp
		return nil
	}},
	{name: "prices-include-tax", bool: true, def: "false", help: "catalogue prices include tax (shown as \"incl. VAT\"); otherwise tax is added at checkout", set: func(c *Config, v string) (err error) {
		c.PricesIncludeTax, err = strconv.ParseBool(v)
		return err
	}},
	{name: "download-ttl", def: "24h", help: "how long a signed download link works", set: func(c *Config, v string) (err error) {
		c.DownloadTTL, err = duration(v, time.Minute, 30*24*time.Hour)
		return err
	}},
	{name: "order-link-ttl", def: "720h", help: "how long a customer's signed order-page link works (\"find my orders\" mails fresh ones)", set: func(c *Config, v string) (err error) {
		c.OrderLinkTTL, err = duration(v, time.Hour, 366*24*time.Hour)
		return err
	}},
	{name: "coupon-hold", def: "30m", help: "how long an unpaid checkout holds a use of a coupon with a usage cap before the order fails and gives it back", set: func(c *Config, v string) (err error) {
		c.CouponHold, err = duration(v, time.Minute, 24*time.Hour)
		return err
	}},
	{name: "outbox-retention", def: "720h", help: "sent, dead and cancelled transactional mail (confirmations, replies, receipts) is deleted from the outbox this long after it finished", set: func(c *Config, v string) (err error) {
		c.OutboxRetention, err = duration(v, time.Hour, 3660*24*time.Hour)
		return err
	}},
	{name: "checkout-retention", def: "720h", help: "failed and abandoned checkouts (orders never paid) are deleted this long after their last change", set: func(c *Config, v string) (err error) {
		c.CheckoutRetention, err = duration(v, 24*time.Hour, 3660*24*time.Hour)
		return err
	}},
	{name: "order-retention", def: "87600h", help: "paid orders keep the buyer's name, email and card details this long after payment (tax records; default 10 years), then only the accounting figures stay", set: func(c *Config, v string) (err error) {
		c.OrderRetention, err = duration(v, 24*time.Hour, 30*366*24*time.Hour)
		return err
	}},
	{name: "staff-retention", def: "8760h", help: "disabled staff accounts are deleted this long after they were disabled (the audit log keeps their id)", set: func(c *Config, v string) (err error) {
		c.StaffRetention, err = duration(v, 24*time.Hour, 10*366*24*time.Hour)
		return err
	}},
	{name: "stats-retention", def: "0", help: "visitor statistics of days older than this are deleted; 0 keeps them (they are aggregates)", set: func(c *Config, v string) (err error) {
		if v == "0" {
			c.StatsRetention = 0
			return nil
		}
		c.StatsRetention, err = duration(v, 24*time.Hour, 100*366*24*time.Hour)
		return err
	}},
	{name: "log-format", def: "text", help: "log format: text or json", set: func(c *Config, v string) error {
		c.LogFormat = v
		return oneOf(v, "text", "json")
	}},
	{name: "log-level", def: "info", help: "log level: debug, info, warn or error", set: func(c *Config, v string) error {
		c.LogLevel = v
		return oneOf(v, "debug", "info", "warn", "error")
	}},
	{name: "session-idle", def: "30m", help: "staff sessions end after this long without activity", set: func(c *Config, v string) (err error) {
		c.SessionIdle, err = duration(v, time.Minute, 24*time.Hour)
		return err
	}},
	{name: "session-max", def: "12h", help: "staff sessions end this long after sign-in, active or not", set: func(c *Config, v string) (err error) {
		c.SessionAbsolute, err = duration(v, time.Minute, 30*24*time.Hour)
		return err
	}},
	{name: "max-body", def: "1048576", help: "largest request body in bytes", set: func(c *Config, v string) (err error) {
		c.MaxBodyBytes, err = strconv.ParseInt(v, 10, 64)
		if err == nil && (c.MaxBodyBytes < 1024 || c.MaxBodyBytes > 1<<30) {
			err = fmt.Errorf("must be between 1024 and 1073741824")
		}
		return err
	}},
}

// percentBasisPoints parses a percentage between 0 and 100 with at most two decimals
// ("19", "7.7", "8.25") into basis points (1900, 770, 825).
func percentBasisPoints(v string) (int, error) {
	whole, frac, _ := strings.Cut(v, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("more than two decimals")
	}
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || strings.HasPrefix(whole, "+") {
		return 0, fmt.Errorf("not a percentage")
	}
	f := 0
	if frac != "" {
		if f, err = strconv.Atoi(frac + strings.Repeat("0", 2-len(frac))); err != nil || f < 0 {
			return 0, fmt.Errorf("not a percentage")
		}
	}
	if bp := w*100 + f; bp <= 100*100 {
		return bp, nil
	}
	return 0, fmt.Errorf("above 100")
}
