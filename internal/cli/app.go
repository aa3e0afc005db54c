package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/demo"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/mail/imapin"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// app is everything a command needs: storage, keys and the domains.
type app struct {
	cfg     config.Config
	log     *slog.Logger
	db      *sqldb.DB
	keyring *pii.Keyring
	sealer  *pii.Sealer
	audit   *audit.Log
	staff   *staff.Service

	newsletter *newsletter.Service
	campaigns  *newsletter.Campaigns
	contact    *contact.Service
	answers    *imapin.Poller // reads --contact-imap; nil when unset
	mailer     *mail.Service
	relay      *smtp.Relay // nil without --smtp, and for commands that send nothing
	shop       *shop.Service
	payment    paymentSetup
}

// appNeeds says what a command needs beyond storage, keys and domains.
type appNeeds struct {
	migrate bool // apply pending migrations (else refuse to run with any pending)
	relay   bool // connect the mail relay (serve only)
}

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

// openApp opens the database, loads (or on first use generates) the data keys and builds
// the domains. migrate applies pending migrations first; without it, pending migrations
// are an error that says to run `candor migrate`.
func openApp(ctx context.Context, inv *invocation, needs appNeeds) (*app, error) {
	cfg := inv.cfg
	a := &app{cfg: cfg, log: newLogger(cfg, inv.env.Stderr)}
	kr, err := loadKeys(cfg, a.log)
	if err != nil {
		return nil, err
	}
	a.keyring, a.sealer = kr, pii.NewSealer(kr)
	db, err := sqldb.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("setting --db (CANDOR_DB): %w", err)
	}
	a.db = db
	if needs.migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("migrating the database: %w", err)
		}
		for _, m := range applied {
			a.log.Info("migration applied", "version", m.Version, "name", m.Name)
		}
	} else if n, err := db.Pending(ctx); err != nil || n > 0 {
		db.Close()
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("the database has %d pending migrations: run 'candor migrate' first", n)
	}
	a.audit = audit.New(sqldb.AuditStore{DB: db}, a.sealer.Index)
	a.audit.SetCheckpoint(filepath.Join(cfg.DataDir, "audit.checkpoint"), a.log)
	a.staff, err = staff.NewService(ctx, sqldb.StaffStore{DB: db}, a.sealer, a.audit, staff.Options{
		IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionAbsolute,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := a.openMail(needs.relay); err != nil {
		db.Close()
		return nil, err
	}
	newsletterStore := sqldb.NewsletterStore{DB: db}
	a.newsletter = newsletter.NewService(newsletterStore, a.sealer, a.audit, a.mailer, newsletter.Options{
		PublicURL: strings.TrimSuffix(cfg.PublicURL.String(), "/"), MailDomain: mailDomain(cfg), VendorName: vendorName(cfg),
		PostalAddress: cfg.PostalAddress, PendingTTL: cfg.PendingTTL, ConfirmInterval: cfg.ConfirmInterval,
	})
	a.campaigns = a.newsletter.Campaigns(newsletterStore)
	a.contact = contact.NewService(sqldb.ContactStore{DB: db}, a.sealer, a.audit, a.mailer, contact.Options{
		PublicURL: strings.TrimSuffix(cfg.PublicURL.String(), "/"), MailDomain: mailDomain(cfg), ReplyTo: cfg.ContactReplyTo,
		RetentionSpam: cfg.RetentionSpam, RetentionReview: cfg.RetentionReview, RetentionClosed: cfg.RetentionClosed,
	})
	if err := a.openShop(); err != nil {
		db.Close()
		return nil, err
	}
	if a.answers, err = a.openContactIMAP(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// openMail builds the mail service; with relay and --smtp it connects the relay,
// otherwise nothing is ever sent and mail waits in the outbox.
func (a *app) openMail(relay bool) error {
	var sender mail.Sender
	if relay && a.cfg.SMTP != nil {
		o, err := smtp.OptionsFromConfig(a.cfg)
		if err != nil {
			return err
		}
		if a.relay, err = smtp.New(o); err != nil {
			return fmt.Errorf("setting --smtp (CANDOR_SMTP): %w", err)
		}
		sender = a.relay
	}
	a.mailer = mail.NewService(mail.Options{
		Store: sqldb.MailStore{DB: a.db}, Sealer: a.sealer, Sender: sender, Rate: a.cfg.SMTPRate, Log: a.log,
		Renderer: mail.RendererFunc(func(ctx context.Context, campaign, subscriber int64) (pii.Email, mail.Content, error) {
			return a.campaigns.RenderMessage(ctx, campaign, subscriber)
		}),
	})
	return nil
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

func (a *app) Close() error {
	if a.relay != nil {
		_ = a.relay.Close()
	}
	return a.db.Close()
}
