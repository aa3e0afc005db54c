package sqldb_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/candor-dev/candor/internal/sqldb"
)

// Promise (issue 10): the database file and its -wal and -shm files are readable by
// their owner only (0600), whatever the umask, and a database an earlier version left
// readable by others is made private when it is opened.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "candor.db")
	check := func(when string) {
		t.Helper()
		db, err := sqldb.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s has mode %o, want 600", when, filepath.Base(p), fi.Mode().Perm())
			}
		}
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: the directory is not 0700 (%v, %v)", when, fi.Mode(), err)
		}
	}
	check("created with umask 0")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	check("reopened after an earlier version made it 0644")
}
