package promises

import (
	"bytes"
	"io"
)

// maxRun bounds the bytes of one run of digits and separators looked at; a longer run
// is not a card number.
const maxRun = 40

// CardScanner finds card numbers in a stream written to it: Luhn-valid runs of 13 to 19
// digits that start with 2 to 6 (Mastercard, American Express, Diners, JCB, Visa,
// Discover, UnionPay, Maestro; millisecond timestamps start with 1), not glued to a
// letter or digit, either contiguous or in groups of 3 to 6 digits split by one space
// or one dash used throughout ("4242 4242 4242 4242"). It keeps no more than one run
// (at most maxRun bytes) in memory and never records what it found, only how many.
type CardScanner struct {
	run        []byte
	over       bool
	before     byte // the byte before the run (0 at the start)
	prev       byte
	pendingSep byte // a separator after a digit, until we know whether a digit follows
	Hits       int  // card numbers found so far
}

// Write scans p; it never fails.
func (s *CardScanner) Write(p []byte) (int, error) {
	for i := 0; i < len(p); i++ {
		if len(s.run) == 0 && !s.over && s.pendingSep == 0 { // outside a run: skip to the next digit
			j := i
			for j < len(p) && (p[j] < '0' || p[j] > '9') {
				j++
			}
			if j > i {
				s.prev = p[j-1]
				if i = j; i == len(p) {
					break
				}
			}
		}
		s.feed(p[i])
	}
	return len(p), nil
}

// Close ends the stream: a run at its very end is looked at.
func (s *CardScanner) Close() error {
	s.end(0)
	return nil
}

func (s *CardScanner) feed(c byte) {
	switch {
	case c >= '0' && c <= '9':
		if len(s.run) == 0 && !s.over {
			s.before = s.prev
		}
		if s.pendingSep != 0 {
			s.add(s.pendingSep)
			s.pendingSep = 0
		}
		s.add(c)
	case (c == ' ' || c == '-') && (len(s.run) > 0 || s.over) && s.pendingSep == 0:
		s.pendingSep = c
	default:
		if s.pendingSep != 0 {
			s.end(s.pendingSep)
		} else {
			s.end(c)
		}
	}
	s.prev = c
}

func (s *CardScanner) add(c byte) {
	if len(s.run) >= maxRun {
		s.over = true
		s.run = s.run[:0]
	}
	if !s.over {
		s.run = append(s.run, c)
	}
}

// end looks at the run that after ends.
func (s *CardScanner) end(after byte) {
	run, over := s.run, s.over
	s.run, s.over, s.pendingSep = s.run[:0], false, 0
	if len(run) == 0 || over || alnum(s.before) || alnum(after) {
		return
	}
	groups := bytes.FieldsFunc(run, func(r rune) bool { return r == ' ' || r == '-' })
	if len(groups) == 1 || groupedCard(run, groups) {
		if isCard(bytes.Join(groups, nil)) {
			s.Hits++
		}
		return
	}
	for _, g := range groups { // separated numbers: each may be a card on its own
		if isCard(g) {
			s.Hits++
		}
	}
}

// alnum: a letter or digit (a run glued to one is part of a token, like a hash).
func alnum(c byte) bool { return c != '_' && wordByte(c) }

// groupedCard: one separator throughout, groups of 3 to 6 digits, 13 to 19 in all.
func groupedCard(run []byte, groups [][]byte) bool {
	if bytes.Count(run, []byte(" ")) > 0 && bytes.Count(run, []byte("-")) > 0 {
		return false
	}
	n := 0
	for _, g := range groups {
		if len(g) < 3 || len(g) > 6 {
			return false
		}
		n += len(g)
	}
	return n >= 13 && n <= 19
}

// isCard: 13 to 19 digits, starting with 2 to 6, Luhn-valid.
func isCard(d []byte) bool {
	if len(d) < 13 || len(d) > 19 || d[0] < '2' || d[0] > '6' {
		return false
	}
	sum := 0
	for i := range d {
		x := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			if x *= 2; x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return sum%10 == 0
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// CountCards returns how many card numbers r holds, streaming it.
func CountCards(r io.Reader) (int, error) {
	var s CardScanner
	buf := make([]byte, 256<<10)
	if _, err := io.CopyBuffer(&s, r, buf); err != nil {
		return 0, err
	}
	s.Close()
	return s.Hits, nil
}
