package cli

import (
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"
)

// Promise (issue 10): every file Candor creates in its data directory (the database,
// the generated key file) is mode 0600 and every directory 0700, whatever the umask.
func TestDataDirectoryIsPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	if out, err := runCandor(t, "", "migrate", "--data-dir", dir); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			files++
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s has mode %o, want %o", p, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 2 {
		t.Errorf("found %d files: expected at least the database and the key file", files)
	}
}
