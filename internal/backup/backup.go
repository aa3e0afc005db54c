// Package backup writes and restores Candor's sealed backups: a consistent copy of the
// SQLite database (and, only when asked, the keys), in a tar archive encrypted with age
// to the vendor's public key, so that the server can write backups but never read them.
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

// DatabaseName is the database's name inside a backup.
const DatabaseName = "candor.db"

// Source is what a backup copies: the database, written by Copy into a file that does
// not yet exist, and extra files (the keys with --include-keys) by name.
type Source struct {
	Copy  func(ctx context.Context, path string) error
	Files map[string][]byte
}

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
	dbPath := filepath.Join(tmp, DatabaseName)
	if err := src.Copy(ctx, dbPath); err != nil {
		return err
	}
	enc, err := age.Encrypt(w, recipients...)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(enc)
	if err := addFile(tw, DatabaseName, dbPath); err != nil {
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

// Restore decrypts the backup r with identities and writes its database to dbPath and
// its other files into dir (mode 0600), refusing to overwrite anything. It returns the
// names of the other files restored.
func Restore(r io.Reader, dbPath, dir string, identities ...age.Identity) ([]string, error) {
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
		path := dbPath
		if h.Name != DatabaseName {
			if h.Name != filepath.Base(h.Name) || h.Name == "." || h.Name == ".." {
				return files, fmt.Errorf("backup: unexpected entry %q", h.Name)
			}
			path = filepath.Join(dir, h.Name)
			files = append(files, h.Name)
		} else {
			sawDB = true
		}
		if err := writeNew(path, tr); err != nil {
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
