package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sealVersion is the format prefix of every sealed value.
const sealVersion = "v1"

// b64 is the payload encoding of a sealed value: URL-safe, unpadded, canonical.
var b64 = base64.RawURLEncoding.Strict()

// Errors returned by Open, Reseal and KeyIDOf. Test with errors.Is; their text never
// contains plaintext or key material.
var (
	// ErrMalformed means the text is not a sealed value of a known format.
	ErrMalformed = errors.New("pii: malformed sealed value")
	// ErrUnknownKey means the value was sealed with a key id the keyring lacks.
	ErrUnknownKey = errors.New("pii: sealed with a key this keyring lacks")
	// ErrAuth means the value failed authentication: wrong context, wrong key
	// material under a known id, or tampering.
	ErrAuth = errors.New("pii: sealed value failed authentication (wrong context, wrong key or tampered)")
	// ErrNoContext means an empty context was given to Seal or Open.
	ErrNoContext = errors.New("pii: a context (such as \"staff.email\") is required")
)

// Sealer encrypts and decrypts personal data at rest with the keys of a Keyring, and
// computes blind indexes. It is immutable and safe for concurrent use; after adding a
// key to the Keyring, build a new Sealer.
type Sealer struct {
	newest int
	aeads  map[int]cipher.AEAD
	index  []byte
}

// NewSealer returns a Sealer holding a snapshot of kr's keys: later changes to kr do
// not affect it. It panics when kr has no index key or no seal key, which cannot
// happen for a Keyring from ParseKeyring, GenerateKeyring or LoadOrCreateKeyFile.
func NewSealer(kr *Keyring) *Sealer {
	if kr == nil || len(kr.index) != KeySize || len(kr.seals) == 0 {
		panic("pii: NewSealer needs a keyring with an index key and a seal key")
	}
	s := &Sealer{
		newest: kr.NewestID(),
		aeads:  make(map[int]cipher.AEAD, len(kr.seals)),
		index:  append([]byte(nil), kr.index...),
	}
	for _, k := range kr.seals {
		block, err := aes.NewCipher(k.key)
		if err != nil {
			panic("pii: NewSealer: " + err.Error()) // only for a bad key length
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			panic("pii: NewSealer: " + err.Error())
		}
		s.aeads[k.id] = aead
	}
	return s
}

// additionalData binds the format version and the context to a ciphertext.
func additionalData(context string) []byte {
	return []byte(sealVersion + "\x00" + context)
}

// Seal encrypts plaintext under the newest seal key, bound to context (the column or
// field it belongs in, such as "staff.email"), and returns
// "v1.<keyid>.<base64url(nonce||ciphertext)>". Each call uses a fresh random nonce,
// so sealing the same plaintext twice gives different text: use Index for lookups.
func (s *Sealer) Seal(context string, plaintext []byte) (string, error) {
	if context == "" {
		return "", ErrNoContext
	}
	ct := s.aeads[s.newest].Seal(nil, nil, plaintext, additionalData(context))
	return sealVersion + "." + strconv.Itoa(s.newest) + "." + b64.EncodeToString(ct), nil
}

// Open decrypts a value made by Seal with any key in the Sealer's keyring and the same
// context. Errors wrap ErrMalformed, ErrUnknownKey, ErrAuth or ErrNoContext.
func (s *Sealer) Open(context, sealed string) ([]byte, error) {
	if context == "" {
		return nil, ErrNoContext
	}
	id, payload, err := parseSealed(sealed)
	if err != nil {
		return nil, err
	}
	aead, ok := s.aeads[id]
	if !ok {
		return nil, fmt.Errorf("%w (key id %d)", ErrUnknownKey, id)
	}
	ct, err := b64.DecodeString(payload)
	if err != nil || len(ct) < aead.Overhead() {
		return nil, ErrMalformed
	}
	pt, err := aead.Open(nil, nil, ct, additionalData(context))
	if err != nil {
		return nil, ErrAuth
	}
	return pt, nil
}

// SealString is Seal for a string plaintext.
func (s *Sealer) SealString(context, plaintext string) (string, error) {
	return s.Seal(context, []byte(plaintext))
}

// OpenString is Open returning a string; the intermediate bytes are zeroed.
func (s *Sealer) OpenString(context, sealed string) (string, error) {
	pt, err := s.Open(context, sealed)
	if err != nil {
		return "", err
	}
	str := string(pt)
	clear(pt)
	return str, nil
}

// KeyIDOf returns the id of the seal key a value was sealed with, without decrypting
// it. The error wraps ErrMalformed.
func KeyIDOf(sealed string) (int, error) {
	id, _, err := parseSealed(sealed)
	return id, err
}

// NeedsReseal reports whether sealed is a well-formed sealed value whose key id is
// not the Sealer's newest. It is false for malformed text, which Reseal cannot fix.
func (s *Sealer) NeedsReseal(sealed string) bool {
	id, _, err := parseSealed(sealed)
	return err == nil && id != s.newest
}

// Reseal opens sealed with its own key and seals the plaintext again under the newest
// key with the same context. It always produces a fresh value, even when sealed
// already uses the newest key; callers rotating a table check NeedsReseal first.
func (s *Sealer) Reseal(context, sealed string) (string, error) {
	pt, err := s.Open(context, sealed)
	if err != nil {
		return "", err
	}
	defer clear(pt)
	return s.Seal(context, pt)
}

// Index returns a blind index of value for equality lookups: HMAC-SHA256 under the
// keyring's index key over purpose, a zero byte and value, as 64 lower-case hex
// digits. Equal (purpose, value) pairs give equal indexes, under every seal key and
// across rotations; different purposes give unrelated indexes, so one column's index
// cannot be matched against another's. Normalize the value first (NormalizeEmail).
//
// The purpose is a constant naming the column, such as "subscriber.email"; Index
// panics when it is empty or contains a zero byte, a programming error that would
// make two different inputs hash alike.
func (s *Sealer) Index(purpose, value string) string {
	if purpose == "" || strings.IndexByte(purpose, 0) >= 0 {
		panic("pii: Index purpose must be non-empty and contain no zero byte")
	}
	m := hmac.New(sha256.New, s.index)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// parseSealed splits "v1.<keyid>.<payload>" and validates the version and the id;
// the payload is decoded by Open.
func parseSealed(sealed string) (id int, payload string, err error) {
	version, rest, ok1 := strings.Cut(sealed, ".")
	idText, payload, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || version != sealVersion || payload == "" {
		return 0, "", ErrMalformed
	}
	id, ok := parseKeyID(idText)
	if !ok {
		return 0, "", ErrMalformed
	}
	return id, payload, nil
}
