package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Promise: personal data stays sealed through a key rotation — new writes use the
// newest key, old rows still open, and `candor keys rotate` re-seals every one.
func TestKeysRotate(t *testing.T) {
	in := newInstall(t)
	args := func(a ...string) []string { return append(a, in.args()...) }
	const pw = "rotation-password-123"
	in.canary(pw, "rot@example.com")
	if out, err := in.candor("", nil, args("migrate")...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := in.candor(pw+"\n", nil, args("staff", "add", "--email", "rot@example.com", "--role", "owner")...); err != nil {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	keyFile := filepath.Join(in.dir, "keys")
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("generated key file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	sealedPrefix := func() string {
		db := in.openDB(t)
		defer db.Close()
		var sealed string
		if err := db.QueryRowContext(context.Background(), "SELECT email_sealed FROM staff").Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sealed, "rot@example.com") {
			t.Fatal("the email is stored in the clear")
		}
		p := strings.SplitN(sealed, ".", 3)
		return p[0] + "." + p[1]
	}
	if got := sealedPrefix(); got != "v1.1" {
		t.Fatalf("sealed under %q; want v1.1", got)
	}
	out, err := in.candor("", nil, args("keys", "rotate")...)
	if err != nil || !strings.Contains(out, "added data key 2") || !strings.Contains(out, "re-sealed 1 values") {
		t.Fatalf("keys rotate: %v\n%s", err, out)
	}
	if got := sealedPrefix(); got != "v1.2" {
		t.Fatalf("after rotation sealed under %q; want v1.2", got)
	}
	text, err := os.ReadFile(keyFile)
	if err != nil || !strings.Contains(string(text), "\nseal 2 ") {
		t.Fatalf("key file after rotation lacks seal 2: %v", err)
	}
	// The rotated row still opens: the member is listed and can be found by email.
	if out, err := in.candor("", nil, args("staff", "list")...); err != nil || !strings.Contains(out, "rot@example.com") {
		t.Fatalf("staff list after rotation: %v\n%s", err, out)
	}
	// A second rotation with nothing stale re-seals everything again under key 3.
	if out, err := in.candor("", nil, args("keys", "rotate")...); err != nil || !strings.Contains(out, "added data key 3") {
		t.Fatalf("second rotation: %v\n%s", err, out)
	}
}
