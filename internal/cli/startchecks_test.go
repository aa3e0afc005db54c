package cli

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/pii"
)

// Promise (issue 11, keys apart from the data): serve refuses a non-loopback address
// while the data keys are generated inside the data directory, saying how to move them.
func TestServeRefusesKeysInDataDirOnPublicAddress(t *testing.T) {
	_, err := runCandor(t, "", "serve", "--addr", "0.0.0.0:0", "--data-dir", t.TempDir(), "--payment", "hosted", "--stripe-key", "sk_test_x")
	if err == nil || !strings.Contains(err.Error(), "--allow-keys-in-data-dir") || !strings.Contains(err.Error(), "CREDENTIALS_DIRECTORY") {
		t.Fatalf("serve with keys in the data dir on 0.0.0.0: %v", err)
	}
}

// Promise: a key file given by CANDOR_KEYS_FILE but lying inside the data directory is
// refused the same way.
func TestServeRefusesKeysFileInsideDataDir(t *testing.T) {
	data := t.TempDir()
	keys := filepath.Join(data, "secret", "keys")
	if _, _, err := pii.LoadOrCreateKeyFile(keys); err != nil {
		t.Fatal(err)
	}
	env := Env{Getenv: func(k string) string {
		if k == "CANDOR_KEYS_FILE" {
			return keys
		}
		return ""
	}, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	err := Run(context.Background(), []string{"serve", "--addr", "0.0.0.0:0", "--data-dir", data, "--payment", "hosted", "--stripe-key", "sk_test_x"}, env)
	if err == nil || !strings.Contains(err.Error(), "--allow-keys-in-data-dir") {
		t.Fatalf("serve with CANDOR_KEYS_FILE inside the data dir: %v", err)
	}
}

// Promise (issue 11, no card over plain HTTP): serve refuses pass-through or test mode
// on a non-loopback address without TLS, and says why and what to do.
func TestServeRefusesCardFormOverPlainHTTP(t *testing.T) {
	for _, args := range [][]string{
		{"--payment", "test"},
		{"--payment", "pass-through", "--stripe-key", "sk_test_x", "--public-url", "http://shop.example.com"},
		{"--payment", "pass-through", "--stripe-key", "sk_test_x", "--public-url", "https://shop.example.com"}, // no --trusted-proxy
	} {
		args = append([]string{"serve", "--addr", "0.0.0.0:0", "--data-dir", t.TempDir(), "--allow-keys-in-data-dir"}, args...)
		_, err := runCandor(t, "", args...)
		if err == nil || !strings.Contains(err.Error(), "card numbers must never cross the network in clear") {
			t.Errorf("%v: %v", args, err)
		}
	}
}
