package promises

import (
	"bytes"
	"net/netip"
)

// ContainsIP reports whether b holds a raw IPv4 or IPv6 address: a run of hex digits,
// dots and colons, not glued to a letter or digit, that parses as an address (an IPv6
// address needs a hex digit: "::" alone is not counted). "std::io" and "v1.2.3.4" are
// not addresses; a version number written exactly like an address ("/dl/1.2.3.4") is.
func ContainsIP(b []byte) bool {
	for i := 0; i < len(b); {
		if !ipByte(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && ipByte(b[j]) {
			j++
		}
		if (i == 0 || !wordByte(b[i-1])) && (j == len(b) || !wordByte(b[j])) && isIP(b[i:j]) {
			return true
		}
		i = j
	}
	return false
}

func isIP(run []byte) bool {
	run = bytes.TrimRight(run, ".")
	colons, dots := bytes.Count(run, []byte(":")), bytes.Count(run, []byte("."))
	if colons < 2 && dots != 3 {
		return false
	}
	if colons < 2 && bytes.ContainsAny(run, "abcdefABCDEF") {
		return false
	}
	a, err := netip.ParseAddr(string(run))
	if err != nil {
		return false
	}
	return a.Is4() || bytes.ContainsAny(run, "0123456789abcdefABCDEF")
}

// ipByte: a byte that can be part of an address's text.
func ipByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':'
}

// wordByte: a letter, digit or underscore (a run glued to one is part of a word).
func wordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
