package licencekey

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func pemOf(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func TestGeneratedOnFirstUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "licence.key")
	first, err := Load("", path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("key file mode %04o, want 0600", perm)
		}
		if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %04o, want 0700", dir.Mode().Perm())
		}
	}
	again, err := Load("", path)
	if err != nil || !again.Equal(first) {
		t.Fatalf("second Load: %v (same key: %v)", err, again.Equal(first))
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	data, _ := os.ReadFile(path)
	if k, err := parse(data, "file"); err != nil || !k.Equal(first) {
		t.Errorf("file does not hold the key as PKCS #8 PEM: %v", err)
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "licence.key")
	keys := make([]ed25519.PrivateKey, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := Load("", path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !k.Equal(keys[0]) {
			t.Fatal("concurrent first uses ended with different keys")
		}
	}
}

func TestFromConfiguration(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	path := filepath.Join(t.TempDir(), "licence.key")
	got, err := Load(pemOf(t, priv), path)
	if err != nil || !got.Equal(priv) {
		t.Fatalf("Load: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the key file was touched although the key came from the configuration: %v", err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, text := range map[string]string{
		"not PEM":     "hello",
		"ECDSA key":   pemOf(t, ec),
		"two blocks":  pemOf(t, priv) + pemOf(t, priv),
		"wrong type":  strings.ReplaceAll(pemOf(t, priv), "PRIVATE KEY", "OPENSSH PRIVATE KEY"),
		"bad DER":     "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"public only": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}})),
	} {
		_, err := Load(text, path)
		if err == nil || !strings.Contains(err.Error(), "CANDOR_LICENCE_KEY") {
			t.Errorf("%s: %v, want an error naming the setting", name, err)
		}
	}
}

func TestRefusedFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cases := map[string]struct {
		path, want string
	}{
		"ECDSA key": {write("ec.key", pemOf(t, ec), 0o600), "Ed25519"},
		"garbage":   {write("junk.key", "not a key", 0o600), "no PEM block"},
		"too large": {write("big.key", strings.Repeat("x", maxFileSize+1), 0o600), "larger than"},
		"directory": {dir, "not a regular file"},
	}
	if runtime.GOOS != "windows" {
		cases["readable by group"] = struct{ path, want string }{write("loose.key", pemOf(t, priv), 0o640), "chmod 600"}
	}
	for name, tc := range cases {
		before, _ := os.ReadFile(tc.path)
		_, err := Load("", tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %s and saying %q", name, err, tc.path, tc.want)
		}
		if after, _ := os.ReadFile(tc.path); string(after) != string(before) {
			t.Errorf("%s: the refused file was changed", name)
		}
	}
}

func TestErrorsHoldNoKeyMaterial(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	text := pemOf(t, priv)
	body := strings.Split(text, "\n")[1]
	p := filepath.Join(t.TempDir(), "licence.key")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o644)
	for _, in := range []string{text + text, strings.ReplaceAll(text, "PRIVATE KEY", "EC PRIVATE KEY")} {
		if _, err := Load(in, p); err == nil || strings.Contains(err.Error(), body[:16]) {
			t.Errorf("error %v", err)
		}
	}
	if _, err := Load("", p); runtime.GOOS != "windows" && (err == nil || strings.Contains(err.Error(), body[:16])) {
		t.Errorf("error %v", err)
	}
}
