package antibot

import (
	"crypto/sha256"
	"errors"
	"math/bits"
	"strconv"
	"sync"
)

// solves reports whether SHA-256(challenge ":" nonce) starts with at least
// difficulty zero bits.
func solves(challenge, nonce string, difficulty int) bool {
	buf := make([]byte, 0, len(challenge)+1+len(nonce))
	buf = append(append(append(buf, challenge...), ':'), nonce...)
	sum := sha256.Sum256(buf)
	return leadingZeroBits(sum[:]) >= difficulty
}

// leadingZeroBits counts the zero bits at the start of b.
func leadingZeroBits(b []byte) int {
	n := 0
	for _, c := range b {
		if c != 0 {
			return n + bits.LeadingZeros8(c)
		}
		n += 8
	}
	return n
}

// Solve finds a nonce for challenge (a value of Challenge.PoW), exactly as antibot.js
// does in a browser: the smallest decimal number n such that SHA-256(challenge ":" n)
// starts with the challenge's difficulty in zero bits. It needs no key, since the
// difficulty travels in the challenge.
//
// Solve is for tests (Candor's browser-free end-to-end tests among them) and for
// servers submitting to a Candor form. A bot can run it too: proof-of-work raises the
// cost of each submission (about 2^difficulty hashes), it does not stop a determined
// sender. At the default difficulty it takes a few milliseconds of one core.
func Solve(challenge string) (string, error) {
	c, err := readChallenge(challenge)
	if err != nil {
		return "", err
	}
	buf := make([]byte, 0, len(challenge)+1+20)
	buf = append(append(buf, challenge...), ':')
	prefix := len(buf)
	for n := uint64(0); ; n++ {
		buf = strconv.AppendUint(buf[:prefix], n, 10)
		sum := sha256.Sum256(buf)
		if leadingZeroBits(sum[:]) >= c.difficulty {
			return string(buf[prefix:]), nil
		}
	}
}

var errNotChallenge = errors.New("antibot: not a proof-of-work challenge")

// readChallenge decodes a challenge without authenticating it, as a client must.
func readChallenge(token string) (challenge, error) {
	if len(token) != b64.EncodedLen(powBodyLen+tagLen) {
		return challenge{}, errNotChallenge
	}
	raw, err := b64.DecodeString(token)
	if err != nil || len(raw) != powBodyLen+tagLen || raw[0] != tokenVersion || raw[1] != kindPoW {
		return challenge{}, errNotChallenge
	}
	c, err := decodeChallenge(raw[:powBodyLen])
	if err != nil {
		return challenge{}, errNotChallenge
	}
	return c, nil
}

// spentSet remembers spent challenges until they expire, at most capacity of them.
type spentSet struct {
	mu       sync.Mutex
	capacity int
	m        map[[idLen]byte]int64 // challenge id → expiry, Unix ms
	swept    int64                 // last sweep, Unix ms
}

func newSpentSet(capacity int) *spentSet {
	return &spentSet{capacity: capacity, m: make(map[[idLen]byte]int64)}
}

// spend records id as spent until expires (Unix ms) and returns "", or returns
// ReasonPoWReplayed when it was spent already, or ReasonPoWBusy when the memory is
// full of unexpired challenges.
func (s *spentSet) spend(id [idLen]byte, expires, now int64) Reason {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[id]; ok {
		return ReasonPoWReplayed
	}
	// Sweep expired ids once a minute, and when full at most once a second: O(n)
	// under the lock, so never on every call.
	if now-s.swept >= 60_000 || (len(s.m) >= s.capacity && now-s.swept >= 1_000) {
		s.sweep(now)
	}
	if len(s.m) >= s.capacity {
		return ReasonPoWBusy
	}
	s.m[id] = expires
	return ""
}

// sweep forgets the ids whose challenges have expired: Check refuses those as
// expired before it asks the set.
func (s *spentSet) sweep(now int64) {
	s.swept = now
	for id, exp := range s.m {
		if now > exp {
			delete(s.m, id)
		}
	}
}

// len reports how many spent challenges are remembered.
func (s *spentSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
