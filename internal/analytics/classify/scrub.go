package classify

import "strings"

// Placeholders stand in for a path segment or event-name word that looks like an
// identifier of one person, so that it is never counted (and so never stored).
const (
	EmailPlaceholder = ":email"
	IDPlaceholder    = ":id"
)

// Scrub replaces each "/"-separated segment of a path (and each kept query
// parameter value after "?") that looks like an identifier with a placeholder:
// EmailPlaceholder for a segment holding "@" (or its escape %40), IDPlaceholder
// for one holding a run of 6 or more digits, 16 or more hex digits (a hash, a
// UUID), or a random-looking token (see isToken). Everything else is kept as it
// is. Scrub returns s itself when nothing needed replacing, so the common case
// does not allocate.
func Scrub(s string) string {
	path, query, hasQuery := strings.Cut(s, "?")
	if !needsScrub(path, '/') && (!hasQuery || !needsScrub(query, '&')) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	scrubInto(&b, path, '/', false)
	if hasQuery {
		b.WriteByte('?')
		scrubInto(&b, query, '&', true)
	}
	return b.String()
}

// ScrubWords is Scrub for free text such as an event name: each word (separated
// by a space, "/", ":" or ",") that looks like an identifier becomes a
// placeholder.
func ScrubWords(s string) string {
	if !needsScrubFunc(s, isWordSep) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		i := strings.IndexFunc(s, isWordSep)
		if i < 0 {
			writeScrubbed(&b, s)
			break
		}
		writeScrubbed(&b, s[:i])
		b.WriteByte(s[i])
		s = s[i+1:]
	}
	return b.String()
}

func isWordSep(r rune) bool { return r == ' ' || r == '/' || r == ':' || r == ',' }

func needsScrub(s string, sep byte) bool {
	for s != "" {
		part := s
		if i := strings.IndexByte(s, sep); i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if placeholder(part) != "" {
			return true
		}
	}
	return false
}

func needsScrubFunc(s string, sep func(rune) bool) bool {
	for s != "" {
		i := strings.IndexFunc(s, sep)
		part := s
		if i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if placeholder(part) != "" {
			return true
		}
	}
	return false
}

// scrubInto writes s to b with each sep-separated part scrubbed; in a query
// (values true) the key and the value on each side of "=" are scrubbed apart.
func scrubInto(b *strings.Builder, s string, sep byte, values bool) {
	for i, part := range strings.Split(s, string(sep)) {
		if i > 0 {
			b.WriteByte(sep)
		}
		if values {
			if k, v, ok := strings.Cut(part, "="); ok {
				writeScrubbed(b, k)
				b.WriteByte('=')
				part = v
			}
		}
		writeScrubbed(b, part)
	}
}

func writeScrubbed(b *strings.Builder, part string) {
	if p := placeholder(part); p != "" {
		b.WriteString(p)
		return
	}
	b.WriteString(part)
}

// placeholder returns the placeholder for a segment that looks like an
// identifier, or "" for one that does not.
func placeholder(seg string) string {
	if seg == "" || seg == EmailPlaceholder || seg == IDPlaceholder {
		return ""
	}
	// One pass first: most segments of a path ("docs", "install", a slug) hold no "@",
	// no "%40" and no digit, and then none of the costlier checks below can match.
	digit := false
	for i := 0; i < len(seg); i++ {
		switch c := seg[i]; {
		case c == '@', c == '%' && strings.HasPrefix(seg[i+1:], "40"):
			return EmailPlaceholder
		case isDigit(c):
			digit = true
		}
	}
	// Every rule below needs a decimal digit and at least 6 bytes.
	if !digit || len(seg) < 6 {
		return ""
	}
	if longestRun(seg, isDigit) >= 6 || hexDigits(seg) >= 16 || isToken(seg) {
		return IDPlaceholder
	}
	return ""
}

// isToken reports a run of 16 or more letters and digits that mixes both (a
// session id, a base64 or base62 token), or a base64url run of 24 or more that
// mixes upper case, lower case and digits. Slugs ("how-to-install-2") and long
// plain words pass.
func isToken(seg string) bool {
	var alnum, b64, digits, upper, lower, letters int
	for i := 0; i <= len(seg); i++ {
		c := byte('/')
		if i < len(seg) {
			c = seg[i]
		}
		switch {
		case isDigit(c):
			alnum++
			b64++
			digits++
		case c >= 'a' && c <= 'z':
			alnum++
			b64++
			lower++
			letters++
		case c >= 'A' && c <= 'Z':
			alnum++
			b64++
			upper++
			letters++
		case c == '-' || c == '_':
			if alnum >= 16 && digits > 0 && letters > 0 {
				return true
			}
			alnum, letters = 0, 0
			b64++
		default:
			if (alnum >= 16 && digits > 0 && letters > 0) || (b64 >= 24 && digits > 0 && upper > 0 && lower > 0) {
				return true
			}
			alnum, b64, digits, upper, lower, letters = 0, 0, 0, 0, 0, 0
		}
	}
	return false
}

// hexDigits is the largest number of hex digits in a run of hex digits and
// hyphens that holds at least one decimal digit (a UUID counts 32).
func hexDigits(seg string) int {
	best, n, digit := 0, 0, false
	for i := 0; i <= len(seg); i++ {
		if i < len(seg) && isHex(seg[i]) {
			n++
			digit = digit || isDigit(seg[i])
			continue
		}
		if i < len(seg) && seg[i] == '-' {
			continue
		}
		if digit && n > best {
			best = n
		}
		n, digit = 0, false
	}
	return best
}

func longestRun(s string, in func(byte) bool) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if in(s[i]) {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
