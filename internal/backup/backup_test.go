package backup_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/candor-dev/candor/internal/backup"
)

// fakeDB is a Source whose "database" is a fixed text.
func fakeDB(text string) backup.Source {
	return backup.Source{Copy: func(_ context.Context, path string) error { return os.WriteFile(path, []byte(text), 0o600) }}
}

// Promise (issue 11): scheduled backups keep only the newest KEEP files, so erased data
// leaves the backups after KEEP × EVERY; each is mode 0600 and decrypts only with the
// vendor's identity.
func TestToDirKeepsTheNewest(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	start := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	var last string
	for i := range 5 {
		if last, err = backup.ToDir(context.Background(), dir, start.Add(time.Duration(i)*24*time.Hour), 3, fakeDB("db"), id.Recipient()); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "candor-20261203T030000Z.backup.age candor-20261204T030000Z.backup.age candor-20261205T030000Z.backup.age" {
		t.Fatalf("kept %s", got)
	}
	if st, _ := os.Stat(last); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	other, _ := age.GenerateX25519Identity()
	f, _ := os.Open(last)
	defer f.Close()
	if _, err := backup.Restore(f, backup.Target{Database: backup.ToSQLiteFile(filepath.Join(t.TempDir(), "candor.db")), Dir: t.TempDir()}, other); err == nil {
		t.Fatal("a backup opened with another identity")
	}
}

// Promise: restore writes only into the data directory and never overwrites a file.
func TestRestoreRefusesOverwrite(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	var buf bytes.Buffer
	src := fakeDB("db")
	src.Files = map[string][]byte{"keys": []byte("k")}
	if err := backup.Write(context.Background(), &buf, src, id.Recipient()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keys"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(bytes.NewReader(buf.Bytes()), backup.Target{Database: backup.ToSQLiteFile(filepath.Join(dir, "candor.db")), Dir: dir}, id); err == nil || !strings.Contains(err.Error(), "refuses to overwrite") {
		t.Fatalf("restore over an existing key file: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keys")); string(b) != "old" {
		t.Fatal("the existing file was changed")
	}
}

// A scheduled backup is due only when the newest one is --backup-every old, so restarts
// (each runs the jobs once at start) do not push the kept backups out one by one.
func TestDueOnlyAfterTheInterval(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "backups")
	start := time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)
	if due, err := backup.Due(dir, start, 24*time.Hour); err != nil || !due {
		t.Fatalf("no backup yet: due %v, %v", due, err)
	}
	if _, err := backup.ToDir(context.Background(), dir, start, 3, fakeDB("db"), id.Recipient()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		after time.Duration
		due   bool
	}{{time.Second, false}, {23 * time.Hour, false}, {24 * time.Hour, true}, {30 * time.Hour, true}} {
		if due, err := backup.Due(dir, start.Add(c.after), 24*time.Hour); err != nil || due != c.due {
			t.Errorf("%s after a backup: due %v (%v), want %v", c.after, due, err, c.due)
		}
	}
}
