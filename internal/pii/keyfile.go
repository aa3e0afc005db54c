package pii

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// maxKeyFileSize bounds what LoadOrCreateKeyFile reads; a real key file is well under
// a kilobyte per key.
const maxKeyFileSize = 1 << 20

// LoadOrCreateKeyFile reads the Keyring in the file at path. When the file does not
// exist, it generates a Keyring, creates the directory (mode 0700) if needed, writes
// the file with mode 0600 and reports created. Creation never replaces a file that
// appeared meanwhile (another instance starting at the same moment): that file is
// read instead. A file that group or others may access (mode & 0o077 != 0) is refused
// with an error that says to chmod 600 it; that check is skipped on Windows, where
// Unix permission bits do not exist.
func LoadOrCreateKeyFile(path string) (kr *Keyring, created bool, err error) {
	kr, err = readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return kr, false, err
	}
	kr, err = GenerateKeyring()
	if err != nil {
		return nil, false, err
	}
	tmp, err := writeTemp(path, kr)
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp)
	// A hard link fails when path exists, so a concurrent creator's keys are never
	// overwritten; the loser reads the winner's file.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			kr, err = readKeyFile(path)
			return kr, false, err
		}
		return nil, false, fmt.Errorf("pii: creating key file: %w", err)
	}
	syncDir(filepath.Dir(path))
	return kr, true, nil
}

// WriteKeyFile writes kr to path with mode 0600, atomically replacing any file
// there: a reader sees the old ring or the new one, never a mix. The directory is
// created with mode 0700 if needed.
func WriteKeyFile(path string, kr *Keyring) error {
	tmp, err := writeTemp(path, kr)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("pii: replacing key file: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// readKeyFile opens, checks the mode of, and parses the key file at path. A missing
// file yields an error wrapping fs.ErrNotExist.
func readKeyFile(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("pii: opening key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("pii: key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("pii: key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("pii: key file %s has mode %04o, readable beyond its owner; run: chmod 600 %s", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("pii: reading key file: %w", err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("pii: key file %s is larger than %d bytes", path, maxKeyFileSize)
	}
	kr, err := ParseKeyring(string(data))
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return kr, nil
}

// writeTemp writes kr to a new file of mode 0600 next to path, synced to disk, and
// returns its name. The caller links or renames it into place.
func writeTemp(path string, kr *Keyring) (string, error) {
	if kr == nil || kr.index == nil || len(kr.seals) == 0 {
		return "", errors.New("pii: refusing to write an incomplete keyring")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("pii: creating key directory: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("pii: creating key file: %w", err)
	}
	tmp := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.WriteString(kr.Text())
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("pii: writing key file: %w", err)
	}
	return tmp, nil
}

// syncDir makes a rename or link in dir durable, where the platform allows it.
// Failure is ignored: the file itself is already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
