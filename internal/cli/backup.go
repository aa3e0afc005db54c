package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"filippo.io/age"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/backup"
	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
)

// runBackup is `candor backup --to FILE`: an online copy of the database encrypted to
// the vendor's age public key (docs/keys.md#backups).
func runBackup(ctx context.Context, inv *invocation) error {
	to := inv.fs.String("to", "", "write the encrypted backup to this file (must not exist)")
	include := inv.fs.Bool("include-keys", false, "also put the data keys and the licence signing key in the backup (inside the encryption)")
	if err := inv.parse(); err != nil {
		return err
	}
	if *to == "" || inv.fs.NArg() != 0 {
		return fmt.Errorf("%w: candor backup --to FILE [--include-keys]", errUsage)
	}
	if _, err := os.Lstat(*to); err == nil {
		return fmt.Errorf("candor backup: %s exists; choose a new file", *to)
	}
	recipients, err := inv.cfg.BackupRecipientList()
	if err != nil {
		return err
	}
	db, err := sqldb.Open(ctx, inv.cfg.DB)
	if err != nil {
		return fmt.Errorf("setting --db (CANDOR_DB): %w", err)
	}
	defer db.Close()
	src, err := backupSource(inv.cfg, db, *include)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := backup.ToFile(ctx, *to, src, recipients...); err != nil {
		return err
	}
	st, err := os.Stat(*to)
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.env.Stdout, "backup written to %s (%d bytes in %s), encrypted to %d recipient(s); data keys %s\n",
		*to, st.Size(), time.Since(start).Round(time.Millisecond), len(recipients), map[bool]string{true: "included", false: "not included"}[*include])
	return nil
}

// auditCheckpoint is the audit log's checkpoint file in the data directory (wire.go).
const auditCheckpoint = "audit.checkpoint"

// backupSource is what a backup of cfg's installation holds: the database (SQLite: the
// file; PostgreSQL: every table in sqldb.RowsFormat), the audit checkpoint, read before
// the copy so that it is never ahead of it, and the data keys and licence signing key
// only with includeKeys.
func backupSource(cfg config.Config, db *sqldb.DB, includeKeys bool) (backup.Source, error) {
	src := backup.Source{Name: backup.DatabaseName, Copy: db.VacuumInto, Files: map[string][]byte{}}
	if db.Dialect != sqldb.SQLite {
		src.Name, src.Copy = backup.RowsName, func(ctx context.Context, path string) error {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return err
			}
			if _, err := db.ExportRows(ctx, f); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}
	}
	files := []struct{ name, text, file string }{{auditCheckpoint, "", filepath.Join(cfg.DataDir, auditCheckpoint)}}
	if includeKeys {
		files = append(files, struct{ name, text, file string }{"keys", cfg.Keys, cfg.KeyFile()},
			struct{ name, text, file string }{"licence.key", cfg.LicenceKey, cfg.LicenceKeyFile()})
	}
	for _, k := range files {
		if k.text != "" {
			src.Files[k.name] = []byte(k.text)
			continue
		}
		b, err := os.ReadFile(k.file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return src, err
		}
		src.Files[k.name] = b
	}
	return src, nil
}

// runRestore is `candor restore --from FILE --identity FILE`: the backup into an empty
// data directory, then the integrity check and the audit chain's verification.
func runRestore(ctx context.Context, inv *invocation) error {
	from := inv.fs.String("from", "", "the backup file to restore")
	identity := inv.fs.String("identity", "", "the vendor's age identity file (AGE-SECRET-KEY-…) the backup was encrypted to")
	if err := inv.parse(); err != nil {
		return err
	}
	if *from == "" || *identity == "" || inv.fs.NArg() != 0 {
		return fmt.Errorf("%w: candor restore --from FILE --identity FILE", errUsage)
	}
	dialect, dbPath, err := sqldb.ParseDSN(inv.cfg.DB)
	if err != nil {
		return fmt.Errorf("setting --db (CANDOR_DB): %w", err)
	}
	if dialect != sqldb.SQLite {
		dbPath = "" // sqldb.ImportRows refuses a database that is not empty
	}
	if err := emptyPlace(inv.cfg.DataDir, dbPath); err != nil {
		return err
	}
	ids, err := readIdentities(*identity)
	if err != nil {
		return err
	}
	f, err := os.Open(*from)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	files, err := backup.Restore(f, backup.Target{Database: restoreDatabase(ctx, inv.cfg.DB), Dir: inv.cfg.DataDir}, ids...)
	if err != nil {
		return err
	}
	if dbPath == "" {
		dbPath = "the " + string(dialect) + " database"
	}
	if inv.cfg.Keys == "" && !slices.Contains(files, "keys") {
		return fmt.Errorf("database restored to %s, but this backup holds no data keys: give them (--keys, CANDOR_KEYS_FILE) and run candor audit verify", dbPath)
	}
	n, err := verifyRestored(ctx, inv.cfg, newLogger(inv.cfg, inv.env.Stderr))
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.env.Stdout, "restored %s in %s: integrity ok, audit log intact (%d entries)\n", dbPath, time.Since(start).Round(time.Millisecond), n)
	if slices.Contains(files, "keys") {
		fmt.Fprintf(inv.env.Stdout, "the data keys were restored to %s: move them out of the data directory before serving on a public address (docs/keys.md)\n", inv.cfg.KeyFile())
	}
	return nil
}

// restoreDatabase restores a backup's database into dsn: a SQLite file as it is into
// SQLite, and anything else through sqldb.RowsFormat into an empty database (a
// SQLite backup into PostgreSQL too, read from a private temporary copy).
func restoreDatabase(ctx context.Context, dsn string) func(string, io.Reader) error {
	return func(name string, r io.Reader) error {
		dialect, path, err := sqldb.ParseDSN(dsn)
		if err != nil {
			return err
		}
		if name == backup.DatabaseName && dialect == sqldb.SQLite {
			return backup.ToSQLiteFile(path)(name, r)
		}
		if name == backup.DatabaseName {
			tmp, err := os.MkdirTemp("", "candor-restore-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			file := filepath.Join(tmp, backup.DatabaseName)
			if err := backup.ToSQLiteFile(file)(name, r); err != nil {
				return err
			}
			src, err := sqldb.Open(ctx, "sqlite:"+file)
			if err != nil {
				return err
			}
			defer src.Close()
			pr, pw := io.Pipe()
			defer pr.Close()
			go func() {
				_, err := src.ExportRows(ctx, pw)
				pw.CloseWithError(err)
			}()
			r = pr
		}
		db, err := sqldb.Open(ctx, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ImportRows(ctx, r)
		return err
	}
}

// emptyPlace refuses a data directory that holds anything, or a database file that exists.
func emptyPlace(dataDir, dbPath string) error {
	entries, err := os.ReadDir(dataDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("candor restore: the data directory %s is not empty; restore into a new, empty one (--data-dir)", dataDir)
	}
	if _, err := os.Lstat(dbPath); dbPath != "" && err == nil {
		return fmt.Errorf("candor restore: the database %s exists; restore into a new place", dbPath)
	}
	return os.MkdirAll(dataDir, 0o700)
}

func readIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--identity: %w", err)
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("--identity: %w", err)
	}
	return ids, nil
}

// verifyRestored runs the integrity check and verifies the audit chain of the restored
// database; it returns the number of audit entries.
func verifyRestored(ctx context.Context, cfg config.Config, log *slog.Logger) (int64, error) {
	kr, err := loadKeys(cfg, log)
	if err != nil {
		return 0, err
	}
	db, err := sqldb.Open(ctx, cfg.DB)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		return 0, err
	}
	chain := audit.New(sqldb.AuditStore{DB: db}, pii.NewSealer(kr).Index)
	chain.SetCheckpoint(filepath.Join(cfg.DataDir, auditCheckpoint), nil)
	n, problem, err := chain.Verify(ctx)
	if err != nil {
		return 0, err
	}
	if problem != nil {
		return n, fmt.Errorf("audit log tampered: %s", problem)
	}
	return n, nil
}

// backupCheckEvery is how often serve looks whether a scheduled backup is due.
const backupCheckEvery = 10 * time.Minute

// backupJob is serve's scheduled backup (--backup-dir), nil without one.
func (a *app) backupJob() *job {
	if a.cfg.BackupDir == "" {
		return nil
	}
	// Checked every few minutes (and at start), written only when the newest backup is
	// --backup-every old: a restart neither writes one of its own nor restarts the clock.
	return &job{"write a scheduled backup", min(a.cfg.BackupEvery, backupCheckEvery), func(ctx context.Context) (int64, error) {
		if due, err := backup.Due(a.cfg.BackupDir, time.Now(), a.cfg.BackupEvery); err != nil || !due {
			return 0, err
		}
		recipients, err := a.cfg.BackupRecipientList()
		if err != nil {
			return 0, err
		}
		src, err := backupSource(a.cfg, a.db, false)
		if err != nil {
			return 0, err
		}
		if _, err := backup.ToDir(ctx, a.cfg.BackupDir, time.Now(), a.cfg.BackupKeep, src, recipients...); err != nil {
			return 0, err
		}
		return 1, nil
	}}
}
