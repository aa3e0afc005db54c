// Package backup writes and restores Candor's sealed backups: a consistent copy of the
// database (SQLite: the file, VACUUM INTO; PostgreSQL: every table in sqldb.RowsFormat),
// the audit checkpoint and, only when asked, the keys, in a tar archive encrypted with
// age to the vendor's public key, so that the server can write backups but never read
// them.
package backup

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"
)

// The database's names inside a backup: a SQLite file, or every table in
// sqldb.RowsFormat (PostgreSQL).
const (
	DatabaseName = "candor.db"
	RowsName     = "candor.rows.jsonl"
)

// Source is what a backup copies: the database, written by Copy into a file that does
// not yet exist and named Name in the backup (DatabaseName when empty), and extra files
// (the audit checkpoint; the keys with --include-keys) by name.
type Source struct {
	Name  string
	Copy  func(ctx context.Context, path string) error
	Files map[string][]byte
}

// isDatabase reports whether name is a database entry.
func isDatabase(name string) bool { return name == DatabaseName || name == RowsName }

// Write writes a backup of src to w, encrypted to recipients. The database copy is made
// in a private (0700) temporary directory, removed before Write returns.
func Write(ctx context.Context, w io.Writer, src Source, recipients ...age.Recipient) error {
	if len(recipients) == 0 {
		return errors.New("backup: no recipient to encrypt to")
	}
	tmp, err := os.MkdirTemp("", "candor-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o700); err != nil {
		return err
	}
	name := src.Name
	if name == "" {
		name = DatabaseName
	}
	dbPath := filepath.Join(tmp, name)
	if err := src.Copy(ctx, dbPath); err != nil {
		return err
	}
	enc, err := age.Encrypt(w, recipients...)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(enc)
	if err := addFile(tw, name, dbPath); err != nil {
		return err
	}
	for name, data := range src.Files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), ModTime: time.Now()}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return enc.Close()
}

func addFile(tw *tar.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Target is where Restore puts a backup: the database entry (named DatabaseName or
// RowsName) is handed to Database, which must refuse to overwrite anything; the other
// files go into Dir.
type Target struct {
	Database func(name string, r io.Reader) error
	Dir      string
}

// ToSQLiteFile is a Target.Database that writes a SQLite database copy to path (which must
// not exist) and refuses a rows stream.
func ToSQLiteFile(path string) func(string, io.Reader) error {
	return func(name string, r io.Reader) error {
		if name != DatabaseName {
			return fmt.Errorf("backup: this backup holds %s, not a SQLite file", name)
		}
		return writeNew(path, r)
	}
}

// Restore decrypts the backup r with identities, hands its database to t.Database and
// writes its other files into t.Dir (mode 0600), refusing to overwrite anything. It
// returns the names of the other files restored.
func Restore(r io.Reader, t Target, identities ...age.Identity) ([]string, error) {
	dec, err := age.Decrypt(r, identities...)
	if err != nil {
		return nil, fmt.Errorf("backup: decrypting (is --identity the key the backup was made for?): %w", err)
	}
	tr := tar.NewReader(dec)
	var files []string
	sawDB := false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return files, fmt.Errorf("backup: reading: %w", err)
		}
		if isDatabase(h.Name) {
			if sawDB {
				return files, errors.New("backup: two databases in the backup")
			}
			sawDB = true
			if err := t.Database(h.Name, tr); err != nil {
				return files, err
			}
			continue
		}
		if h.Name != filepath.Base(h.Name) || h.Name == "." || h.Name == ".." {
			return files, fmt.Errorf("backup: unexpected entry %q", h.Name)
		}
		files = append(files, h.Name)
		if err := writeNew(filepath.Join(t.Dir, h.Name), tr); err != nil {
			return files, err
		}
	}
	if !sawDB {
		return files, errors.New("backup: no database in the backup")
	}
	return files, nil
}

// writeNew writes r into path, which must not exist, with mode 0600.
func writeNew(path string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: restore refuses to overwrite: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
