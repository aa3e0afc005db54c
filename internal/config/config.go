package config

import (
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"time"
)

// Config is the effective configuration of one Candor process.
type Config struct {
	Addr    string // listen address HOST:PORT
	DataDir string // where the SQLite database, generated keys and the ACME cache live
	DB      string // DSN: sqlite:PATH or postgres://…
	Keys    string // key file text (secret); empty: generated into DataDir/keys
	Demo    bool

	PublicURL      *url.URL       // base of links in mail; default from Addr
	SiteOrigins    []string       // the vendor's web sites, trusted for cross-origin posts
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed

	TLSCert, TLSKey string   // certificate files
	ACMEDomains     []string // obtain certificates from Let's Encrypt for these names
	ACMEEmail       string
	ACMEHTTPAddr    string // the HTTP listener for challenges and the redirect to HTTPS

	LogFormat string // text or json
	LogLevel  string // debug, info, warn, error

	SMTP             *url.URL // the relay: smtp:// (STARTTLS) or smtps:// (implicit TLS); nil: nothing is sent
	SMTPAllowPrivate bool     // permit a relay on loopback or a private range
	SMTPCAFile       string   // PEM certificates trusted for the relay instead of the system roots
	SMTPRate         float64  // messages per second through the relay (token bucket)
	MailFrom         *mail.Address
	DKIMDomain       string
	DKIMSelector     string
	DKIMKey          string // PEM private key (RSA or Ed25519)
	PostalAddress    string // the vendor's postal address for campaign footers
	PrivacyIntro     string // Markdown file of the vendor's words above the generated /privacy; "": none

	AntibotDifficulty int // proof-of-work bits a public form's browser must find

	StatsRespectDNT bool   // drop statistics hits whose request carries Sec-GPC: 1 or DNT: 1
	StatsK          int    // small-count suppression threshold (visitors), at least 2
	StatsIPLimit    int    // statistics hits per minute per client address (burst twice that); 0: no limit
	GeoIPCity       string // the city database file (.mmdb) the vendor supplies; "": no regions or cities

	Payment             string         // test, hosted or pass-through
	StripeKey           string         // secret API key
	StripeAPI           *url.URL       // Stripe's API base (stripe-mock in tests)
	StripeWebhookSecret string         // whsec_…
	LicenceKey          string         // Ed25519 private key, PEM; empty: generated into DataDir
	TaxRates            map[string]int // country code → rate in basis points (1900 = 19 %)
	PricesIncludeTax    bool
	DownloadTTL         time.Duration // signed download links expire after this
	OrderLinkTTL        time.Duration // signed order-page links expire after this
	CouponHold          time.Duration // an unpaid order holds a use of a limited coupon this long

	PendingTTL      time.Duration // unconfirmed subscriptions are deleted after this
	ConfirmInterval time.Duration // at most one confirmation mail per address per interval
	ThanksURL       string        // where a plain subscribe form post redirects; "" for Candor's own page

	ContactThanksURL  string        // where a plain contact form post redirects; "" for Candor's own page
	ContactReplyTo    string        // Reply-To of inbox replies; "" for none
	ContactIMAP       *url.URL      // the mailbox people's answers arrive in (imaps:// or imap://); nil: not read
	ContactIMAPCAFile string        // PEM certificates trusted for that mailbox instead of the system roots
	ContactIMAPEvery  time.Duration // how often that mailbox is read
	RetentionSpam     time.Duration // contact spam is deleted after this
	RetentionReview   time.Duration // contact "needs review" is deleted after this
	RetentionClosed   time.Duration // closed contact conversations are deleted after this
	OutboxRetention   time.Duration // finished transactional mail is deleted from the outbox after this
	RetentionInactive time.Duration // new, open and waiting conversations without activity are deleted after this
	CheckoutRetention time.Duration // failed and abandoned checkouts are deleted after this
	OrderRetention    time.Duration // paid orders lose the buyer's name, email and card details after this
	StaffRetention    time.Duration // disabled staff accounts are deleted after this
	StatsRetention    time.Duration // statistics of days older than this are deleted; 0: kept

	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	MaxBodyBytes    int64

	Keep // the one way out, keys apart from the data, sealed backups (keep.go)
}

// KeyFile is where generated keys are written when CANDOR_KEYS is not set.
func (c Config) KeyFile() string { return filepath.Join(c.DataDir, "keys") }

// LicenceKeyFile is where the licence signing key is generated when CANDOR_LICENCE_KEY
// is not set.
func (c Config) LicenceKeyFile() string { return filepath.Join(c.DataDir, "licence.key") }

// Production reports whether real customers can reach this installation: its public
// URL is https on a name or address that is not loopback. The built-in test processor
// is refused there.
func (c Config) Production() bool {
	if c.PublicURL == nil || c.PublicURL.Scheme != "https" {
		return false
	}
	h := c.PublicURL.Hostname()
	ip, err := netip.ParseAddr(h)
	return h != "localhost" && (err != nil || !ip.IsLoopback())
}

// TLS reports whether Candor terminates TLS itself.
func (c Config) TLS() bool { return c.TLSCert != "" || len(c.ACMEDomains) > 0 }

// SecureCookies reports whether cookies must carry Secure (and may use the __Host- prefix):
// under Candor's own TLS, or behind a proxy when the public URL is https.
func (c Config) SecureCookies() bool { return c.TLS() || c.PublicURL.Scheme == "https" }

// IsLoopback reports whether addr's host is a loopback address or "localhost".
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
