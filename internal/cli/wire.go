package cli

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/analytics/geo"
	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/demo"
	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/mail/imapin"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/promises"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/web"
)

// app is Candor's object graph: storage, keys, the domains and the adapters they use,
// built by openApp, the one place where they are put together (docs/architecture.md).
// Commands take what they need from it; `candor serve` hands it to the web server.
type app struct {
	cfg     config.Config
	getenv  func(string) string // the environment the configuration was read from
	log     *slog.Logger
	out     *egress.Dialer // the one way out: every outbound connection is dialled by it
	db      *sqldb.DB
	keyring *pii.Keyring
	sealer  *pii.Sealer
	audit   *audit.Log
	staff   *staff.Service

	mailer     *mail.Service
	relay      *smtp.Relay // nil without --smtp, and for commands that send nothing
	outbox     *mail.OutboxAdmin
	newsletter *newsletter.Service
	campaigns  *newsletter.Campaigns
	contact    *contact.Service
	answers    *imapin.Poller // reads --contact-imap; nil when unset
	shop       *shop.Service
	payment    paymentSetup

	// Visitor statistics.
	sites   *analytics.Sites
	reports *analytics.Reports // the dashboard's figures, analytics.DefaultTopN values a dimension
	tokens  *analytics.Tokens
	weekly  *analytics.Weekly
	goals   *analytics.Goals
	city    *geo.DB               // --geoip-city, with appNeeds.collect only; nil without the setting
	collect *analytics.Aggregator // with appNeeds.collect only
	antibot *antibot.Guard        // with appNeeds.web only
	notice  *privacy.Published    // the public privacy notice, with appNeeds.web only

	privacy *promises.Daily // the privacy checks' daily run, and the Promises page's
}

// appNeeds says what a command needs beyond storage, keys and the domains.
type appNeeds struct {
	migrate bool // apply pending migrations (else refuse to run with any pending)
	relay   bool // connect the mail relay (serve only)
	collect bool // count visits: the city database and the statistics aggregator
	web     bool // what only the web server uses: the anti-bot guard
}

// openApp builds the object graph, from the outside in: configuration-derived adapters
// (city database, data keys), the database, then every domain over its store. migrate
// applies pending migrations first; without it, pending migrations are an error that
// says to run `candor migrate`. On an error, whatever was opened is closed.
func openApp(ctx context.Context, inv *invocation, needs appNeeds) (_ *app, err error) {
	cfg := inv.cfg
	a := &app{cfg: cfg, getenv: inv.env.Getenv, log: newLogger(cfg, inv.env.Stderr)}
	a.out = egress.FromConfig(cfg, a.log) // the one way out: relay, mailbox, card processor, ACME
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if needs.collect { // first: a bad file stops the start before anything else opens
		if a.city, err = openGeoCity(cfg); err != nil {
			return nil, err
		}
	}
	if a.keyring, err = loadKeys(cfg, a.log); err != nil {
		return nil, err
	}
	a.sealer = pii.NewSealer(a.keyring)
	if a.db, err = openDB(ctx, cfg, a.log, needs.migrate); err != nil {
		return nil, err
	}
	a.audit = audit.New(sqldb.AuditStore{DB: a.db}, a.sealer.Index)
	a.audit.SetCheckpoint(filepath.Join(cfg.DataDir, "audit.checkpoint"), a.log)
	a.staff, err = staff.NewService(ctx, sqldb.StaffStore{DB: a.db}, a.sealer, a.audit, staff.Options{
		IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionAbsolute,
	})
	if err != nil {
		return nil, err
	}

	// Mail: the outbox and its worker; the relay only where mail is sent (serve). The
	// renderer reads a.campaigns, built next, when a campaign mail is sent.
	var sender mail.Sender
	if needs.relay {
		if a.relay, err = openRelay(cfg, a.out); err != nil {
			return nil, err
		}
		if a.relay != nil {
			sender = a.relay
		}
	}
	a.mailer = mail.NewService(mail.Options{
		Store: mailStore(a.db), Sealer: a.sealer, Sender: sender, Rate: cfg.SMTPRate, Log: a.log,
		Renderer: mail.RendererFunc(func(ctx context.Context, campaign, subscriber int64) (pii.Email, mail.Content, error) {
			return a.campaigns.RenderMessage(ctx, campaign, subscriber)
		}),
	})
	a.outbox = mail.NewOutboxAdmin(sqldb.OutboxAdminStore{DB: a.db}, a.sealer, a.audit)
	a.privacy = a.newPrivacyDaily()

	// The domains that write to people.
	publicURL := strings.TrimSuffix(cfg.PublicURL.String(), "/")
	newsletterStore := sqldb.NewsletterStore{DB: a.db}
	a.newsletter = newsletter.NewService(newsletterStore, a.sealer, a.audit, a.mailer, newsletter.Options{
		PublicURL: publicURL, MailDomain: mailDomain(cfg), VendorName: vendorName(cfg),
		PostalAddress: cfg.PostalAddress, PendingTTL: cfg.PendingTTL, ConfirmInterval: cfg.ConfirmInterval,
	})
	a.campaigns = a.newsletter.Campaigns(newsletterStore)
	a.contact = contact.NewService(sqldb.ContactStore{DB: a.db}, a.sealer, a.audit, a.mailer, contact.Options{
		PublicURL: publicURL, MailDomain: mailDomain(cfg), ReplyTo: cfg.ContactReplyTo,
		RetentionSpam: cfg.RetentionSpam, RetentionReview: cfg.RetentionReview, RetentionClosed: cfg.RetentionClosed,
	})
	if a.answers, err = openContactIMAP(cfg, sqldb.InboundStore{DB: a.db}, a.out); err != nil {
		return nil, err
	}

	// The shop: the licence signing key and the card processor of --payment.
	key, err := loadLicenceKey(cfg, a.log)
	if err != nil {
		return nil, err
	}
	if a.payment, err = newPayment(cfg, a.log, a.out); err != nil {
		return nil, err
	}
	taxRates, err := shop.CountryRates(cfg.TaxRates)
	if err != nil {
		return nil, fmt.Errorf("--tax-rate: %w", err)
	}
	a.shop = shop.New(sqldb.ShopStore{DB: a.db}, a.payment.proc, a.sealer, shop.LicenceSigner{Key: key}, a.audit, a.mailer, shop.Options{
		Mode: cfg.Payment, PublicURL: publicURL, MailDomain: mailDomain(cfg), Seller: seller(cfg),
		TaxRates: taxRates, PricesIncludeTax: cfg.PricesIncludeTax,
		DownloadTTL: cfg.DownloadTTL, OrderLinkTTL: cfg.OrderLinkTTL, CouponHold: cfg.CouponHold, Log: a.log,
	})

	// Visitor statistics: the site list (cached), reports, API tokens, weekly mails,
	// goals and, where visits are counted, the in-memory aggregator.
	statsStore := sqldb.AnalyticsStore{DB: a.db}
	a.sites = analytics.NewSites(statsStore, nil)
	a.reports = analytics.NewReports(statsStore, cfg.StatsK, analytics.DefaultTopN)
	a.tokens = analytics.NewTokens(sqldb.StatsTokenStore{DB: a.db}, a.audit, a.staff, nil)
	a.weekly = analytics.NewWeekly(sqldb.StatsReportStore{DB: a.db},
		analytics.NewReports(statsStore, cfg.StatsK, analytics.WeeklyTopN), a.sealer, a.audit,
		analytics.WeeklyOptions{PublicURL: publicURL, MailDomain: mailDomain(cfg), Notify: a.mailer.Notify})
	a.goals = analytics.NewGoals(sqldb.StatsGoalStore{DB: a.db}, a.audit, nil)
	if needs.collect {
		a.collect = analytics.NewAggregator(statsStore, statsOptions(cfg, a.sites.Host, a.city))
	}
	if needs.web {
		if a.antibot, err = antibot.New(antibot.Config{MAC: a.sealer.Index, Difficulty: cfg.AntibotDifficulty}); err != nil {
			return nil, err
		}
		if a.notice, err = openPrivacyNotice(cfg, time.Now()); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// webDeps is what the web server is given of the graph (serve opens it with
// appNeeds{collect: true, web: true}).
func (a *app) webDeps() web.Deps {
	d := web.Deps{
		Config: a.cfg, Health: a.db, Staff: a.staff, Audit: a.audit, Log: a.log, Version: Version(),
		Newsletter: a.newsletter, Campaigns: a.campaigns, Contact: a.contact, Outbox: a.outbox, Antibot: a.antibot,
		Sites: a.sites, SiteList: a.sites, Reports: a.reports, StatsAPI: a.tokens, StatsMail: a.weekly, StatsGoals: a.goals,
		Shop: a.shop, Sandbox: a.payment.sandbox, Webhooks: a.payment.webhooks,
		Privacy: a.subjects(), MyData: a.myDataLinks(), Notice: a.notice, Promises: a.privacy,
	}
	if a.collect != nil { // a nil *Aggregator in an interface would not be nil
		d.Stats, d.Live = a.collect, a.collect
	}
	return d
}

// myDataLinks builds the links /my-data mails (docs/privacy-requests.md).
func (a *app) myDataLinks() *privacy.Links {
	return privacy.NewLinks(sqldb.SubjectStore{DB: a.db}, a.sealer, a.audit, privacy.LinkOptions{
		PublicURL: strings.TrimSuffix(a.cfg.PublicURL.String(), "/"), MailDomain: mailDomain(a.cfg),
		VendorName: vendorName(a.cfg), Notify: a.mailer.Notify})
}

// reportsTop returns the reports with topN values a dimension (`candor stats --top`).
func (a *app) reportsTop(topN int) *analytics.Reports {
	if topN == analytics.DefaultTopN {
		return a.reports
	}
	return analytics.NewReports(sqldb.AnalyticsStore{DB: a.db}, a.cfg.StatsK, topN)
}

// Close closes what openApp opened: the relay's connections, the database, then the
// city database (after the last statistics flush, which runs before Close).
func (a *app) Close() error {
	if a.relay != nil {
		_ = a.relay.Close()
	}
	var err error
	if a.db != nil {
		err = a.db.Close()
	}
	if a.city != nil {
		_ = a.city.Close()
	}
	return err
}

// mailDomain is the domain of the sender address, used in Message-IDs.
func mailDomain(cfg config.Config) string {
	_, domain, _ := strings.Cut(cfg.MailFrom.Address, "@")
	return domain
}

// vendorName is how mails and public pages name the vendor: the sender's display name.
func vendorName(cfg config.Config) string {
	if cfg.Demo {
		return demo.VendorName
	}
	if cfg.MailFrom.Name != "" {
		return cfg.MailFrom.Name
	}
	return mailDomain(cfg)
}

// seller is the seller named on receipts and licences: the vendor and its postal address.
func seller(cfg config.Config) string {
	if cfg.PostalAddress != "" {
		return vendorName(cfg) + ", " + cfg.PostalAddress
	}
	return vendorName(cfg)
}

// openDB opens the database of --db; migrate applies pending migrations, otherwise any
// pending migration is an error.
func openDB(ctx context.Context, cfg config.Config, log *slog.Logger, migrate bool) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("setting --db (CANDOR_DB): %w", err)
	}
	if migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("migrating the database: %w", err)
		}
		for _, m := range applied {
			log.Info("migration applied", "version", m.Version, "name", m.Name)
		}
		return db, nil
	}
	if n, err := db.Pending(ctx); err != nil || n > 0 {
		db.Close()
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("the database has %d pending migrations: run 'candor migrate' first", n)
	}
	return db, nil
}

// mailStore is the outbox ledger of this process. On SQLite one instance serves the
// database, so it names itself: restarted, it frees its previous incarnation's claims
// at once. On PostgreSQL instances stay unnamed: a dead one's claims are freed once its
// heartbeat is stale (mail.StaleAfter heartbeats).
func mailStore(db *sqldb.DB) sqldb.MailStore {
	if db.Dialect == sqldb.SQLite {
		return sqldb.MailStore{DB: db, Name: "serve"}
	}
	return sqldb.MailStore{DB: db}
}

// subjects is the privacy service answering data requests; an erasure first stores the
// sign-ups still in the newsletter's intake, so none outlives it.
func (a *app) subjects() *privacy.Service {
	svc := privacy.NewService(sqldb.SubjectStore{DB: a.db}, a.sealer, a.audit)
	svc.SetIntake(a.newsletter)
	return svc
}
