package licence

import (
	"encoding/binary"
	"fmt"
	"time"
)

// version is the payload's first byte; the text prefix CANDOR1 repeats it.
const version = 1

// signingContext is prepended to the payload to form the signed message, so that a
// signature made for a licence can never be mistaken for one made by the same key
// for another purpose. It is not part of the key. In hex: 63616e646f72206c6963656e
// 63652076310a.
const signingContext = "candor licence v1\n"

// Payload sizes: version, Issued, Expires, Seats, then three length-prefixed texts.
const (
	fixedLen   = 1 + 8 + 8 + 4 + 3
	minPayload = fixedLen + 2 // ID and Product hold at least one byte
	maxPayload = fixedLen + MaxIDLen + MaxProductLen + MaxEditionLen
)

// marshal writes a checked, normalized Licence as the version 1 payload:
//
//	offset  size  field
//	0       1     version = 0x01
//	1       8     Issued, Unix seconds, unsigned big-endian
//	9       8     Expires, Unix seconds, unsigned big-endian; 0 = perpetual
//	17      4     Seats, unsigned big-endian
//	21      1+n   ID: length n, then n bytes
//	…       1+n   Product: length n, then n bytes
//	…       1+n   Edition: length n (may be 0), then n bytes
func marshal(l Licence) []byte {
	p := make([]byte, 0, fixedLen+len(l.ID)+len(l.Product)+len(l.Edition)+64)
	p = append(p, version)
	p = binary.BigEndian.AppendUint64(p, uint64(l.Issued.Unix()))
	var exp uint64
	if !l.Expires.IsZero() {
		exp = uint64(l.Expires.Unix())
	}
	p = binary.BigEndian.AppendUint64(p, exp)
	p = binary.BigEndian.AppendUint32(p, uint32(l.Seats))
	for _, s := range []string{l.ID, l.Product, l.Edition} {
		p = append(p, byte(len(s)))
		p = append(p, s...)
	}
	return p
}

// unmarshal parses a version 1 payload, requiring it to be consumed exactly and its
// fields to pass the same checks as Sign's. Its errors do not wrap ErrMalformed;
// Verify adds that.
func unmarshal(p []byte) (Licence, error) {
	var l Licence
	if len(p) < fixedLen || p[0] != version {
		return l, fmt.Errorf("payload of %d bytes is too short or not version %d", len(p), version)
	}
	issued := binary.BigEndian.Uint64(p[1:9])
	expires := binary.BigEndian.Uint64(p[9:17])
	seats := binary.BigEndian.Uint32(p[17:21])
	if issued > maxUnix || expires > maxUnix || seats > MaxSeats {
		return l, fmt.Errorf("a date or the seat count is out of range")
	}
	l.Issued = time.Unix(int64(issued), 0).UTC()
	if expires != 0 {
		l.Expires = time.Unix(int64(expires), 0).UTC()
	}
	l.Seats = int(seats)
	rest := p[21:]
	for _, dst := range []*string{&l.ID, &l.Product, &l.Edition} {
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			return Licence{}, fmt.Errorf("a text field runs past the end of the payload")
		}
		*dst = string(rest[1 : 1+int(rest[0])])
		rest = rest[1+int(rest[0]):]
	}
	if len(rest) != 0 {
		return Licence{}, fmt.Errorf("%d bytes follow the last field", len(rest))
	}
	if err := l.check(); err != nil {
		return Licence{}, err
	}
	return l, nil
}

// payloadLen walks the version 1 layout of raw (payload then signature) by its length
// bytes alone and returns the payload's length, or false when raw is too short to hold
// the fields it announces. Verify uses it to tell a truncated or extended key
// (malformed) from an altered one (bad signature) before checking the signature; the
// fields themselves are read only after that.
func payloadLen(raw []byte) (int, bool) {
	n := fixedLen - 3
	for range 3 {
		if n >= len(raw) {
			return 0, false
		}
		n += 1 + int(raw[n])
	}
	return n, n <= len(raw)
}

// signedMessage is the exact byte string that the Ed25519 signature covers.
func signedMessage(payload []byte) []byte {
	m := make([]byte, 0, len(signingContext)+len(payload))
	return append(append(m, signingContext...), payload...)
}
