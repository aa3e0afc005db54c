package licence

import (
	"encoding/base32"
	"fmt"
	"strings"
)

// alphabet is Crockford's base32: digits and upper-case letters without I, L, O, U.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// b32 encodes 5 bits per character, most significant first, without padding.
var b32 = base32.NewEncoding(alphabet).WithPadding(base32.NoPadding)

// groupLen is how many characters Sign puts between dashes.
const groupLen = 5

// maxInput bounds the text that decodeText looks at at all: a longest licence key is
// under 500 characters, so this leaves room for generous line wrapping.
const maxInput = 1024

// encodeText writes prefix, then raw in base32 as dash-separated groups.
func encodeText(prefix string, raw []byte, grouped bool) string {
	body := b32.EncodeToString(raw)
	if !grouped {
		return prefix + "-" + body
	}
	var b strings.Builder
	b.Grow(len(prefix) + len(body) + len(body)/groupLen + 1)
	b.WriteString(prefix)
	for i := 0; i < len(body); i += groupLen {
		b.WriteByte('-')
		b.WriteString(body[i:min(i+groupLen, len(body))])
	}
	return b.String()
}

// decodeText is the strict inverse of encodeText. In order: the input must be at most
// maxInput bytes; leading and trailing ASCII whitespace is ignored; it must begin with
// prefix (any case); after the prefix, dashes and ASCII whitespace (space, tab, CR, LF)
// are ignored wherever they appear; every other character must be in the alphabet, in
// either case, with Crockford's aliases I and L for 1 and O for 0; at most maxChars
// such characters; and they must be the canonical encoding of the bytes they decode
// to (a length that base32 cannot produce, or unused low bits that are not zero, is
// refused). Every error wraps ErrMalformed.
func decodeText(s, prefix string, maxChars int) ([]byte, error) {
	if len(s) > maxInput {
		return nil, fmt.Errorf("%w: longer than %d characters", ErrMalformed, maxInput)
	}
	s = strings.Trim(s, " \t\r\n")
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return nil, fmt.Errorf("%w: does not begin with %s", ErrMalformed, prefix)
	}
	body := make([]byte, 0, len(s)-len(prefix))
	for i := len(prefix); i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		switch c {
		case 'I', 'L':
			c = '1'
		case 'O':
			c = '0'
		}
		if strings.IndexByte(alphabet, c) < 0 {
			return nil, fmt.Errorf("%w: character %q at offset %d is not in the key alphabet", ErrMalformed, s[i], i)
		}
		body = append(body, c)
	}
	if len(body) > maxChars {
		return nil, fmt.Errorf("%w: %d characters after the prefix, more than %d", ErrMalformed, len(body), maxChars)
	}
	raw, err := b32.DecodeString(string(body))
	if err != nil || b32.EncodedLen(len(raw)) != len(body) || b32.EncodeToString(raw) != string(body) {
		return nil, fmt.Errorf("%w: incomplete (a character is missing or extra)", ErrMalformed)
	}
	return raw, nil
}

// encodedLen is the number of base32 characters for n bytes.
func encodedLen(n int) int { return b32.EncodedLen(n) }
