package canary

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

// The scanner must find what it looks for, or every canary test passes vacuously.
func TestFindsEveryEncoding(t *testing.T) {
	dir := t.TempDir()
	const canary = "ana@example.com"
	for name, enc := range Encodings(canary) {
		p := filepath.Join(dir, name+".bin")
		if err := os.WriteFile(p, []byte("prefix\x00"+enc+"\x00suffix"), 0o600); err != nil {
			t.Fatal(err)
		}
		hits, err := Find([]string{p}, canary)
		if err != nil || len(hits) == 0 {
			t.Errorf("encoding %s not found: %v", name, err)
		}
	}
	clean := filepath.Join(dir, "clean")
	_ = os.WriteFile(clean, []byte(base64.StdEncoding.EncodeToString([]byte("someone-else@example.org"))), 0o600)
	if hits, _ := Find([]string{clean}, canary); len(hits) != 0 {
		t.Errorf("false hit: %+v", hits)
	}
}
