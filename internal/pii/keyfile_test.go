package pii

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
}

func TestLoadOrCreateKeyFileCreates(t *testing.T) {
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "state", "keys")
	path := filepath.Join(dir, "candor.keys")

	kr, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("first LoadOrCreateKeyFile = created %v, %v; want created", created, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %04o, want 0600", perm)
	}
	dinfo, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := dinfo.Mode().Perm(); perm != 0o700 {
		t.Errorf("key directory mode = %04o, want 0700", perm)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the key file (no temp files)", len(entries))
	}

	again, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created {
		t.Fatalf("second LoadOrCreateKeyFile = created %v, %v; want loaded", created, err)
	}
	if again.Text() != kr.Text() {
		t.Error("second load returned different keys")
	}
}

func TestLoadOrCreateKeyFileRefusesLooseMode(t *testing.T) {
	skipOnWindows(t)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o601} {
		t.Run(mode.String(), func(t *testing.T) {
			kr, _ := GenerateKeyring()
			path := filepath.Join(t.TempDir(), "candor.keys")
			if err := os.WriteFile(path, []byte(kr.Text()), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			_, created, err := LoadOrCreateKeyFile(path)
			if err == nil || created {
				t.Fatalf("LoadOrCreateKeyFile of a %04o file = created %v, %v; want refusal", mode, created, err)
			}
			if !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("error %q does not say chmod 600", err)
			}
			assertNoKeyMaterial(t, err.Error(), kr.Text())
			if data, _ := os.ReadFile(path); string(data) != kr.Text() {
				t.Error("refused file was modified")
			}
		})
	}
}

func TestLoadOrCreateKeyFileErrors(t *testing.T) {
	skipOnWindows(t)
	dir := t.TempDir()
	badText := "index " + testKey(1) + "\nseal 1 " + testKey(1) + "\n"
	bad := filepath.Join(dir, "bad.keys")
	if err := os.WriteFile(bad, []byte(badText), 0o600); err != nil {
		t.Fatal(err)
	}
	notFile := filepath.Join(dir, "sub")
	if err := os.Mkdir(notFile, 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"unparsable", bad, "line 2: same key as line 1"},
		{"directory", notFile, "not a regular file"},
		{"parent is a file", filepath.Join(bad, "x.keys"), "key file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, created, err := LoadOrCreateKeyFile(tt.path)
			if err == nil || created {
				t.Fatalf("got created %v, err %v; want an error", created, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			assertNoKeyMaterial(t, err.Error(), badText)
		})
	}
	if data, _ := os.ReadFile(bad); string(data) != badText {
		t.Error("an unparsable key file was overwritten")
	}
}

func TestWriteKeyFileReplaces(t *testing.T) {
	skipOnWindows(t)
	path := filepath.Join(t.TempDir(), "new", "candor.keys")
	kr, _ := GenerateKeyring()
	if err := WriteKeyFile(path, kr); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.AddSealKey(); err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFile(path, kr); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode after replace = %04o, want 0600", perm)
	}
	back, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created {
		t.Fatalf("reload: created %v, %v", created, err)
	}
	if back.NewestID() != 2 || back.Text() != kr.Text() {
		t.Errorf("reloaded ring differs: ids %v", back.IDs())
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(entries))
	}
	if err := WriteKeyFile(path, &Keyring{}); err == nil {
		t.Error("WriteKeyFile accepted an empty keyring")
	}
}

func TestLoadOrCreateKeyFileConcurrent(t *testing.T) {
	skipOnWindows(t)
	path := filepath.Join(t.TempDir(), "candor.keys")
	const n = 8
	type result struct {
		text    string
		created bool
		err     error
	}
	results := make(chan result, n)
	for range n {
		go func() {
			kr, created, err := LoadOrCreateKeyFile(path)
			r := result{created: created, err: err}
			if err == nil {
				r.text = kr.Text()
			}
			results <- r
		}()
	}
	creators, texts := 0, map[string]bool{}
	for range n {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.created {
			creators++
		}
		texts[r.text] = true
	}
	if creators != 1 || len(texts) != 1 {
		t.Errorf("%d creators and %d distinct keyrings; want exactly one of each", creators, len(texts))
	}
}
