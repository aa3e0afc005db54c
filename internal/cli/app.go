package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/pii"
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
func openApp(ctx context.Context, inv *invocation, migrate bool) (*app, error) {
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
	if migrate {
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
	a.staff, err = staff.NewService(ctx, sqldb.StaffStore{DB: db}, a.sealer, a.audit, staff.Options{
		IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionAbsolute,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
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

func (a *app) Close() error { return a.db.Close() }
