package cli

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// candor data find|export|erase: each answers for an address Candor holds nothing
// under, the export is a ZIP never overwriting a file, and erase asks first.
func TestDataCommand(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCandor(t, "", "migrate", "--data-dir", dir); err != nil {
		t.Fatal(err)
	}
	out, err := runCandor(t, "", "data", "find", "--data-dir", dir, "--email", "nobody@example.test")
	if err != nil || !strings.Contains(out, "no subscription, 0 conversations, 0 orders, 0 outbox mails") {
		t.Errorf("data find: %v\n%s", err, out)
	}
	zipPath := filepath.Join(dir, "export.zip")
	if out, err = runCandor(t, "", "data", "export", "--data-dir", dir, "--email", "nobody@example.test", "--out", zipPath); err != nil {
		t.Fatalf("data export: %v\n%s", err, out)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil || len(zr.File) != 2 {
		t.Fatalf("export is not a ZIP of two files: %v", err)
	}
	zr.Close()
	if fi, err := os.Stat(zipPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode: %v, %v", fi.Mode(), err)
	}
	if _, err := runCandor(t, "", "data", "export", "--data-dir", dir, "--email", "nobody@example.test", "--out", zipPath); err == nil {
		t.Error("data export overwrote an existing file")
	}
	if _, err := runCandor(t, "no\n", "data", "erase", "--data-dir", dir, "--email", "nobody@example.test"); err == nil || !strings.Contains(err.Error(), "nothing erased") {
		t.Errorf("data erase without confirmation: %v", err)
	}
	if out, err = runCandor(t, "yes\n", "data", "erase", "--data-dir", dir, "--email", "nobody@example.test"); err != nil || !strings.Contains(out, "erased subscriber 0") {
		t.Errorf("data erase: %v\n%s", err, out)
	}
	if _, err := runCandor(t, "", "data", "erase", "--data-dir", dir); !errors.Is(err, errUsage) {
		t.Errorf("data erase without --email: %v; want a usage error", err)
	}
	if _, err := runCandor(t, "", "data", "find", "--data-dir", dir, "--email", "not an address"); err == nil || !strings.Contains(err.Error(), "valid email") {
		t.Errorf("data find of a bad address: %v", err)
	}
	help, err := runCandor(t, "", "data", "export", "--help")
	if err != nil || !strings.Contains(help, "--out") || !strings.Contains(help, "--email") {
		t.Errorf("data export --help: %v\n%s", err, help)
	}
}
