package antibot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// Both tokens are unpadded base64url of a binary body followed by a 128-bit
// HMAC-SHA256 tag over the form id, a zero byte and the body:
//
//	time token: version(1) 'T' issued-at(8, Unix ms, big-endian)                    tag(16)  → 35 characters
//	challenge:  version(1) 'P' expires-at(8, Unix ms, big-endian) difficulty(1) id(16) tag(16) → 58 characters
//
// The kind byte keeps one kind of token from passing as the other; the form id in the
// tag keeps a token for one form from passing on another. antibot.js reads the
// difficulty and the expiry from the challenge (offsets 10 and 2): the server's
// copy is the signed one, so a client that changes them only forges the challenge.
const (
	tokenVersion = 1
	kindTime     = 'T'
	kindPoW      = 'P'
	tagLen       = 16
	idLen        = 16
	timeBodyLen  = 2 + 8
	powBodyLen   = 2 + 8 + 1 + idLen
	maxNonceLen  = 32
	// MaxDifficulty is the largest difficulty a challenge can carry (and New accepts).
	MaxDifficulty = 32
	// keyPurpose names the derivation of the signing key from the injected MAC.
	keyPurpose = "antibot.key"
)

var b64 = base64.RawURLEncoding.Strict()

// signer authenticates tokens under the derived key.
type signer struct{ key []byte }

// tag computes the truncated HMAC of formID and body.
func (s signer) tag(formID string, body []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(formID))
	m.Write([]byte{0})
	m.Write(body)
	return m.Sum(nil)[:tagLen]
}

// seal appends the tag to body and encodes the result.
func (s signer) seal(formID string, body []byte) string {
	return b64.EncodeToString(append(body, s.tag(formID, body)...))
}

var (
	errMalformed = errors.New("malformed")
	errForged    = errors.New("forged")
)

// open decodes a token of kind whose body is bodyLen bytes, and authenticates it for
// formID before returning the body. Lengths are checked before decoding, so an
// outsized input costs nothing.
func (s signer) open(formID, token string, kind byte, bodyLen int) ([]byte, error) {
	if len(token) != b64.EncodedLen(bodyLen+tagLen) {
		return nil, errMalformed
	}
	raw, err := b64.DecodeString(token)
	if err != nil || len(raw) != bodyLen+tagLen || raw[0] != tokenVersion || raw[1] != kind {
		return nil, errMalformed
	}
	body, tag := raw[:bodyLen], raw[bodyLen:]
	if !hmac.Equal(tag, s.tag(formID, body)) {
		return nil, errForged
	}
	return body, nil
}

// timeToken returns a time token for formID issued at now.
func (s signer) timeToken(formID string, now time.Time) string {
	body := make([]byte, timeBodyLen, timeBodyLen+tagLen)
	body[0], body[1] = tokenVersion, kindTime
	binary.BigEndian.PutUint64(body[2:], uint64(now.UnixMilli()))
	return s.seal(formID, body)
}

// parseTimeToken returns the issue time of an authentic time token for formID.
func (s signer) parseTimeToken(formID, token string) (time.Time, error) {
	body, err := s.open(formID, token, kindTime, timeBodyLen)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(int64(binary.BigEndian.Uint64(body[2:]))), nil
}

// challenge is the content of a proof-of-work challenge.
type challenge struct {
	expires    time.Time
	difficulty int
	id         [idLen]byte
}

// challengeToken returns the signed challenge c for formID.
func (s signer) challengeToken(formID string, c challenge) string {
	body := make([]byte, powBodyLen, powBodyLen+tagLen)
	body[0], body[1] = tokenVersion, kindPoW
	binary.BigEndian.PutUint64(body[2:], uint64(c.expires.UnixMilli()))
	body[10] = byte(c.difficulty)
	copy(body[11:], c.id[:])
	return s.seal(formID, body)
}

// parseChallenge returns the content of an authentic challenge for formID.
func (s signer) parseChallenge(formID, token string) (challenge, error) {
	body, err := s.open(formID, token, kindPoW, powBodyLen)
	if err != nil {
		return challenge{}, err
	}
	return decodeChallenge(body)
}

// decodeChallenge reads a challenge body (authenticated or not: Solve reads one it
// cannot authenticate).
func decodeChallenge(body []byte) (challenge, error) {
	c := challenge{
		expires:    time.UnixMilli(int64(binary.BigEndian.Uint64(body[2:]))),
		difficulty: int(body[10]),
	}
	copy(c.id[:], body[11:])
	if c.difficulty < 1 || c.difficulty > MaxDifficulty {
		return challenge{}, errMalformed
	}
	return c, nil
}

// validNonce reports whether nonce has the shape of a solution: 1 to 32 characters
// from the base64url alphabet (antibot.js and Solve send decimal digits).
func validNonce(nonce string) bool {
	if len(nonce) == 0 || len(nonce) > maxNonceLen {
		return false
	}
	for i := 0; i < len(nonce); i++ {
		c := nonce[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validFormID reports whether id is 1 to 32 characters from a-z, 0-9, '-' and '_'.
func validFormID(id string) bool {
	if len(id) == 0 || len(id) > 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
