package licence

import (
	"crypto/ed25519"
	"fmt"
	"time"
)

// KeyPrefix begins every licence key; the 1 is the format version.
const KeyPrefix = "CANDOR1"

// Raw key sizes: the payload followed by the 64-byte Ed25519 signature.
const (
	minRaw = minPayload + ed25519.SignatureSize
	maxRaw = maxPayload + ed25519.SignatureSize
)

// Sign returns the licence key for l, signed with priv: "CANDOR1" then the payload
// and signature in base32, in dash-separated groups of five (docs/licences.md gives
// the format byte by byte). Issued and Expires are truncated to whole seconds. It
// refuses a Licence outside the field limits (see Licence and the Max constants), so
// every key it returns passes Verify's checks.
func Sign(priv ed25519.PrivateKey, l Licence) (string, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return "", fmt.Errorf("licence: signing key has %d bytes, not %d", len(priv), ed25519.PrivateKeySize)
	}
	l = l.normalize()
	if err := l.check(); err != nil {
		return "", err
	}
	payload := marshal(l)
	sig := ed25519.Sign(priv, signedMessage(payload))
	return encodeText(KeyPrefix, append(payload, sig...), true), nil
}

// Verify checks key against the vendor's public key and returns the Licence it
// states. Decoding is strict (see docs/licences.md): the text must be a whole
// licence key of a known version, or the error wraps ErrMalformed; the Ed25519
// signature must match pub, or the error wraps ErrSignature; and now must be before
// Expires (unless the licence is perpetual), or Verify returns the genuine Licence
// together with an error wrapping ErrExpired. Any other return has a zero Licence.
// The signature is checked before the payload's fields are read.
func Verify(pub ed25519.PublicKey, key string, now time.Time) (Licence, error) {
	if len(pub) != ed25519.PublicKeySize {
		return Licence{}, fmt.Errorf("licence: public key has %d bytes, not %d", len(pub), ed25519.PublicKeySize)
	}
	raw, err := decodeText(key, KeyPrefix, encodedLen(maxRaw))
	if err != nil {
		return Licence{}, err
	}
	if len(raw) < minRaw {
		return Licence{}, fmt.Errorf("%w: too short (%d bytes; a key has at least %d)", ErrMalformed, len(raw), minRaw)
	}
	if len(raw) > maxRaw {
		return Licence{}, fmt.Errorf("%w: too long (%d bytes; a key has at most %d)", ErrMalformed, len(raw), maxRaw)
	}
	if raw[0] != version {
		return Licence{}, fmt.Errorf("%w: unknown version %d", ErrMalformed, raw[0])
	}
	if n, ok := payloadLen(raw); !ok || n+ed25519.SignatureSize != len(raw) {
		return Licence{}, fmt.Errorf("%w: incomplete, or characters added (its length does not match its fields)", ErrMalformed)
	}
	payload, sig := raw[:len(raw)-ed25519.SignatureSize], raw[len(raw)-ed25519.SignatureSize:]
	if !ed25519.Verify(pub, signedMessage(payload), sig) {
		return Licence{}, ErrSignature
	}
	l, err := unmarshal(payload)
	if err != nil {
		// Only a faulty signer can get here: the signature is genuine.
		return Licence{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if !l.Perpetual() && !now.Before(l.Expires) {
		return l, fmt.Errorf("%w on %s", ErrExpired, l.Expires.Format("2006-01-02 15:04:05 UTC"))
	}
	return l, nil
}

// PublicKeyPrefix begins the text form of a public key; the 1 is the format version.
const PublicKeyPrefix = "CANDORPK1"

// FormatPublicKey returns the text form of pub that the vendor pastes into its
// software: "CANDORPK1-" and the 32 bytes in base32, 52 characters without dashes.
// It is public: it verifies keys but cannot sign them.
func FormatPublicKey(pub ed25519.PublicKey) string {
	return encodeText(PublicKeyPrefix, pub, false)
}

// ParsePublicKey parses the text form written by FormatPublicKey, by the same strict
// rules as a licence key (prefix in any case, dashes and whitespace ignored, Crockford
// aliases accepted, nothing else). The result is exactly 32 bytes; whether they are a
// valid curve point is not checked here (Verify then fails for every key).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	raw, err := decodeText(s, PublicKeyPrefix, encodedLen(ed25519.PublicKeySize))
	if err != nil {
		return nil, fmt.Errorf("licence: public key: %w", err)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("licence: public key: %w: %d bytes, not %d", ErrMalformed, len(raw), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}
