package sqldb

import (
	"errors"
	"io/fs"
	"os"

	"github.com/candor-dev/candor/internal/errs"
)

// privateFiles makes the SQLite database file readable by its owner only, whatever the
// umask: it creates the file empty with mode 0600 before SQLite opens it (SQLite gives
// its -wal and -shm files the mode of the database file), and takes group and other
// access away from a database, -wal and -shm created by an earlier version.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return errs.Wrap(errs.Unavailable, "cannot open the SQLite database file", err)
	}
	if err := f.Close(); err != nil {
		return errs.Wrap(errs.Unavailable, "cannot open the SQLite database file", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return errs.Wrap(errs.Unavailable, "cannot make the SQLite database private (mode 0600)", err)
		}
	}
	return nil
}
