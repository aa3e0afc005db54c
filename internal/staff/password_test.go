package staff

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// Promise: only authorized personnel access personal data — a staff password is strong
// enough to stand between the internet and the data. The policy is pinned here.
func TestCheckPasswordPolicy(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"empty", "", false},
		{"11 characters", "abcdefghijk", false},
		{"12 characters", "abcdefghijkl", true},
		{"12 runes of 2 bytes", strings.Repeat("é", 12), true},
		{"11 runes of 3 bytes counts runes, not bytes", strings.Repeat("€", 11), false},
		{"256 bytes", strings.Repeat("a", MaxPasswordLen), true},
		{"257 bytes", strings.Repeat("a", MaxPasswordLen+1), false},
		{"86 runes of 3 bytes is 258 bytes", strings.Repeat("€", 86), false},
		{"spaces are fine", "correct horse battery staple", true},
		{"newline", "correct horse\nbattery", false},
		{"tab", "correct horse\tbattery", false},
		{"NUL", "correct horse\x00battery", false},
		{"DEL", "correct horse\x7fbattery", false},
		{"invalid UTF-8", "correct horse \xff\xfe battery", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPasswordPolicy(tt.pw)
			if tt.ok {
				if err != nil {
					t.Fatalf("CheckPasswordPolicy = %v; want nil", err)
				}
				return
			}
			var e *errs.Error
			if !errs.Is(err, errs.Invalid) || !errors.As(err, &e) || e.Field != "password" {
				t.Fatalf("CheckPasswordPolicy = %v; want invalid on field password", err)
			}
			if strings.Contains(err.Error(), tt.pw) && tt.pw != "" {
				t.Fatalf("the error repeats the password: %v", err)
			}
		})
	}
}

// Promise: passwords are stored only as argon2id hashes; a hash verifies its own
// password and no other.
func TestHasherHashVerify(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(2)
	pw := "correct horse battery staple"
	enc, err := h.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the pinned argon2id parameters", enc)
	}
	if strings.Contains(enc, pw) {
		t.Fatal("the hash contains the password")
	}
	enc2, err := h.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	if enc == enc2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	long := strings.Repeat("p", MaxPasswordLen) // the longest password the policy allows
	encLong, err := h.Hash(ctx, long)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		enc  string
		pw   string
		want bool
	}{
		{"right password", enc, pw, true},
		{"right password, second hash", enc2, pw, true},
		{"wrong password", enc, pw + "!", false},
		{"empty password", enc, "", false},
		{"prefix of the password", enc, pw[:12], false},
		{"256-byte password", encLong, long, true},
		// Verify caps the work by hashing only the first 256 bytes, which here equal
		// the stored password: the longer input must still never match.
		{">256-byte password whose first 256 bytes match", encLong, long + "p", false},
		{"much longer password", encLong, long + strings.Repeat("x", 10_000), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.Verify(ctx, tt.enc, tt.pw)
			if err != nil || got != tt.want {
				t.Fatalf("Verify = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

// Promise: a damaged or foreign hash in the database never verifies as a match.
func TestHasherVerifyRejectsBadEncodings(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(1)
	good, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	join := func(p ...string) string { return strings.Join(p, "$") }
	tests := map[string]string{
		"empty":               "",
		"plain text":          "correct horse battery staple",
		"bcrypt":              "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":             join("", "argon2i", parts[2], parts[3], parts[4], parts[5]),
		"missing part":        join("", "argon2id", parts[2], parts[3], parts[4]),
		"bad version":         join("", "argon2id", "v=x", parts[3], parts[4], parts[5]),
		"bad params":          join("", "argon2id", parts[2], "m=a,t=2,p=1", parts[4], parts[5]),
		"zero memory":         join("", "argon2id", parts[2], "m=0,t=2,p=1", parts[4], parts[5]),
		"zero time":           join("", "argon2id", parts[2], "m=19456,t=0,p=1", parts[4], parts[5]),
		"zero threads":        join("", "argon2id", parts[2], "m=19456,t=2,p=0", parts[4], parts[5]),
		"salt not base64":     join("", "argon2id", parts[2], parts[3], "!!!", parts[5]),
		"key not base64":      join("", "argon2id", parts[2], parts[3], parts[4], "!!!"),
		"empty key":           join("", "argon2id", parts[2], parts[3], parts[4], ""),
		"extra trailing part": good + "$extra",
	}
	for name, enc := range tests {
		t.Run(name, func(t *testing.T) {
			ok, err := h.Verify(ctx, enc, "correct horse battery staple")
			if ok || err == nil {
				t.Fatalf("Verify(%q) = %v, %v; want false and an error", enc, ok, err)
			}
		})
	}
}

// Promise: a burst of sign-ins cannot take every core and all the memory — at most
// `limit` hashes run at once, and a caller that gives up waiting gets rate_limited.
func TestHasherConcurrencyCap(t *testing.T) {
	if got := cap(NewHasher(0).slots); got != 1 {
		t.Fatalf("NewHasher(0) allows %d at once; want at least 1", got)
	}
	if got := cap(NewHasher(3).slots); got != 3 {
		t.Fatalf("NewHasher(3) allows %d at once; want 3", got)
	}

	h := NewHasher(1)
	enc, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.acquire(context.Background()); err != nil { // hold the only slot
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	short, cancelShort := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelShort()
	calls := []struct {
		name string
		ctx  context.Context
		call func(ctx context.Context) error
	}{
		{"Hash, canceled context", canceled, func(ctx context.Context) error { _, err := h.Hash(ctx, "x"); return err }},
		{"Verify, canceled context", canceled, func(ctx context.Context) error { _, err := h.Verify(ctx, enc, "x"); return err }},
		{"Hash, deadline passes while waiting", short, func(ctx context.Context) error { _, err := h.Hash(ctx, "x"); return err }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(c.ctx); !errs.Is(err, errs.RateLimited) {
				t.Fatalf("with the only slot held: %v; want rate_limited", err)
			}
		})
	}

	// A waiter blocks until the slot is released, then succeeds.
	done := make(chan error, 1)
	go func() {
		ok, err := h.Verify(context.Background(), enc, "correct horse battery staple")
		if err == nil && !ok {
			err = errs.E(errs.Internal, "no match")
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Verify ran while the only slot was held (err %v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	h.release()
	if err := <-done; err != nil {
		t.Fatalf("Verify after release: %v", err)
	}
	if n := len(h.slots); n != 0 {
		t.Fatalf("%d slots still held after every call returned", n)
	}
}
