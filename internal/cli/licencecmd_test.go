package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/licencekey"
	"github.com/candor-dev/candor/licence"
)

// runCandor runs the command line in-process with an empty environment.
func runCandor(t *testing.T, stdin string, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errOut strings.Builder
	env := Env{Getenv: func(string) string { return "" }, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut}
	err = Run(context.Background(), args, env)
	return out.String(), err
}

// installKey returns a data directory and the licence signing key generated in it.
func installKey(t *testing.T) (string, ed25519.PrivateKey) {
	t.Helper()
	dir := t.TempDir()
	priv, err := licencekey.Load("", filepath.Join(dir, "licence.key"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, priv
}

func signed(t *testing.T, priv ed25519.PrivateKey, expires time.Time) string {
	t.Helper()
	issued := time.Now().AddDate(-2, 0, 0)
	key, err := licence.Sign(priv, licence.Licence{ID: "ORD-7", Product: "acme-editor", Edition: "pro", Seats: 3, Issued: issued, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestLicencePublicKey(t *testing.T) {
	dir, priv := installKey(t)
	out, err := runCandor(t, "", "licence", "public-key", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := licence.ParsePublicKey(out)
	if err != nil || !pub.Equal(priv.Public()) {
		t.Fatalf("output %q: %v (the installation's key: %v)", out, err, pub.Equal(priv.Public()))
	}
	// On a fresh data directory the key is generated, and the second run prints the same.
	fresh := t.TempDir()
	first, err1 := runCandor(t, "", "licence", "public-key", "--data-dir", fresh)
	second, err2 := runCandor(t, "", "licence", "public-key", "--data-dir", fresh)
	if err1 != nil || err2 != nil || first != second {
		t.Errorf("fresh data dir: %q, %v; then %q, %v", first, err1, second, err2)
	}
	if _, err := runCandor(t, "", "licence", "public-key", "--data-dir", fresh, "extra"); ExitCode(err) != 2 {
		t.Errorf("extra argument: %v", err)
	}
}

func TestLicenceVerify(t *testing.T) {
	dir, priv := installKey(t)
	valid := signed(t, priv, time.Time{})
	out, err := runCandor(t, "", "licence", "verify", "--data-dir", dir, valid)
	if err != nil || ExitCode(err) != 0 {
		t.Fatalf("valid key: %v", err)
	}
	for _, want := range []string{"valid licence key", "ORD-7", "acme-editor", "pro", "3", "never (perpetual)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Pasted in pieces, or through standard input.
	if _, err := runCandor(t, "", append([]string{"licence", "verify", "--data-dir", dir}, strings.Split(valid, "-")...)...); err != nil {
		t.Errorf("key in pieces: %v", err)
	}
	if _, err := runCandor(t, valid+"\n", "licence", "verify", "--data-dir", dir, "-"); err != nil {
		t.Errorf("key on standard input: %v", err)
	}
	// With the public key given, no data directory is needed.
	pubText := licence.FormatPublicKey(priv.Public().(ed25519.PublicKey))
	if _, err := runCandor(t, "", "licence", "verify", "--data-dir", t.TempDir(), "--public-key", pubText, valid); err != nil {
		t.Errorf("--public-key: %v", err)
	}

	_, other, _ := ed25519.GenerateKey(rand.Reader)
	i := strings.LastIndex(valid, "-") + 1
	tampered := valid[:i] + map[bool]string{true: "1", false: "0"}[valid[i] == '0'] + valid[i+1:]
	for name, tc := range map[string]struct {
		key  string
		want error
	}{
		"tampered":         {tampered, licence.ErrSignature},
		"another signer":   {signed(t, other, time.Time{}), licence.ErrSignature},
		"expired":          {signed(t, priv, time.Now().AddDate(0, 0, -1)), licence.ErrExpired},
		"malformed":        {valid[:len(valid)-4], licence.ErrMalformed},
		"not a key at all": {"hello", licence.ErrMalformed},
	} {
		out, err := runCandor(t, "", "licence", "verify", "--data-dir", dir, tc.key)
		if !errors.Is(err, tc.want) || ExitCode(err) != 1 || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v (exit %d), want one line wrapping %v", name, err, ExitCode(err), tc.want)
		}
		if strings.Contains(out, "valid licence key") {
			t.Errorf("%s: printed %q", name, out)
		}
	}
	if _, err := runCandor(t, "", "licence", "verify", "--data-dir", dir); ExitCode(err) != 2 {
		t.Errorf("no key: %v", err)
	}
	if _, err := runCandor(t, "", "licence", "verify", "--public-key", "CANDORPK1-XYZ", valid); ExitCode(err) != 2 {
		t.Errorf("bad --public-key: %v", err)
	}
	if _, err := runCandor(t, "", "licence", "frobnicate"); ExitCode(err) != 2 {
		t.Errorf("unknown subcommand: %v", err)
	}
}

func TestLicenceHelp(t *testing.T) {
	for _, args := range [][]string{{"licence", "--help"}, {"licence", "verify", "--help"}, {"licence", "public-key", "-h"}} {
		out, err := runCandor(t, "", args...)
		if err != nil || !strings.HasPrefix(out, "Usage: candor licence") {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	out, _ := runCandor(t, "", "licence", "verify", "--help")
	if !strings.Contains(out, "--public-key") || !strings.Contains(out, "LICENCE-KEY") {
		t.Errorf("verify --help lacks its option:\n%s", out)
	}
}
