package staff

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/candor-dev/candor/internal/errs"
)

// Argon2id parameters: OWASP's current minimum recommendation (19 MiB, t=2, p=1).
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
)

// Password length limits. The upper bound caps hashing work per request.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// Hasher hashes and verifies passwords with argon2id, at most `limit` at a time, so a
// burst of sign-ins cannot take all the memory (19 MiB each) or every core.
type Hasher struct {
	slots chan struct{}
}

// NewHasher returns a Hasher that runs at most limit hashes at once (at least 1).
func NewHasher(limit int) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(limit, 1))}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return errs.Wrap(errs.RateLimited, "Too many sign-ins at once; please try again.", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.slots }

// CheckPasswordPolicy validates a new password: length in runes, no control characters.
func CheckPasswordPolicy(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return errs.InvalidField("password", "The password is not valid text.")
	case n < MinPasswordLen:
		return errs.InvalidField("password", fmt.Sprintf("The password needs at least %d characters.", MinPasswordLen))
	case len(pw) > MaxPasswordLen:
		return errs.InvalidField("password", fmt.Sprintf("The password may have at most %d bytes.", MaxPasswordLen))
	case strings.ContainsFunc(pw, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return errs.InvalidField("password", "The password may not contain control characters.")
	}
	return nil
}

// Hash returns a PHC-format argon2id hash of pw.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, using the parameters stored in
// the hash (so parameters can be raised later without breaking old hashes).
func (h *Hasher) Verify(ctx context.Context, encoded, pw string) (bool, error) {
	var version, mem, t int
	var threads uint8
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("unsupported password hash format")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil {
		return false, fmt.Errorf("bad password hash version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &threads); err != nil {
		return false, fmt.Errorf("bad password hash parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || mem <= 0 || t <= 0 || threads == 0 {
		return false, fmt.Errorf("bad password hash encoding")
	}
	tooLong := len(pw) > MaxPasswordLen
	if tooLong {
		pw = pw[:MaxPasswordLen] // cap the work, and never match: no stored password is this long
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(pw), salt, uint32(t), uint32(mem), threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1 && !tooLong, nil
}
