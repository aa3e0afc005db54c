package classify

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxPath is the longest path Path returns, in bytes.
const MaxPath = 256

// MaxParamValue is the longest query parameter value Path keeps, in bytes.
const MaxParamValue = 64

// Path normalises the path of a page view. It drops the fragment and the
// query string except the parameters named in keep (in sorted order, values
// cut to MaxParamValue bytes), strips a leading scheme and host if raw is an
// absolute URL, collapses runs of "/", ensures a leading "/", removes
// control characters, bidirectional-override and invisible format
// characters and invalid UTF-8, replaces segments that look like identifiers
// of a person (an email address, a long number, a token: see Scrub) with a
// placeholder, and caps the result at MaxPath bytes at a rune boundary. The
// result is never empty and never aliases raw.
func Path(raw string, keep []string) string {
	s := truncate(raw, MaxInput)
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	query := ""
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s, query = s[:i], s[i+1:]
	}
	s = stripOrigin(s)

	var buf [MaxPath + utf8.UTFMax]byte
	b := buf[:0]
	b = append(b, '/')
	b = appendClean(b, s, true)
	if len(keep) > 0 && query != "" {
		b = appendQuery(b, query, keep)
	}
	out := Scrub(string(b))
	if len(out) > MaxPath {
		out = truncate(out, MaxPath)
	}
	return out
}

// stripOrigin removes "scheme://host" from an absolute URL.
func stripOrigin(s string) string {
	i := strings.Index(s, "://")
	if i <= 0 || !isScheme(s[:i]) {
		return s
	}
	rest := s[i+3:]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		return rest[j:]
	}
	return ""
}

// appendClean appends s to b with unwanted runes removed and runs of "/"
// collapsed (when path is true), stopping once b exceeds MaxPath.
func appendClean(b []byte, s string, path bool) []byte {
	for i := 0; i < len(s) && len(b) <= MaxPath; {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c < 0x20 || c == 0x7f {
				continue
			}
			if path && c == '/' && len(b) > 0 && b[len(b)-1] == '/' {
				continue
			}
			if path && c == '\\' { // treat like "/" as browsers do
				if len(b) > 0 && b[len(b)-1] == '/' {
					continue
				}
				c = '/'
			}
			b = append(b, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unwantedRune(r) {
			i += size
			continue
		}
		b = append(b, s[i:i+size]...)
		i += size
	}
	return b
}

// unwantedRune reports C1 controls, bidirectional embeddings, overrides and
// isolates, zero-width and other invisible format characters, line and
// paragraph separators, and non-characters.
func unwantedRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0xad, r == 0x061c, r == 0x180e:
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width, LRM, RLM
		return true
	case r >= 0x2028 && r <= 0x202e: // separators, LRE RLE PDF LRO RLO
		return true
	case r >= 0x2060 && r <= 0x206f: // word joiner, invisible operators, LRI RLI FSI PDI, deprecated
		return true
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb, r == 0xfffe, r == 0xffff:
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tags
		return true
	}
	return false
}

type param struct{ key, value string }

// appendQuery appends "?k=v&…" for the parameters of query whose key is in
// keep, sorted by key then value, duplicates removed.
func appendQuery(b []byte, query string, keep []string) []byte {
	var arr [8]param
	ps := arr[:0]
	for query != "" && len(ps) < 32 {
		var kv string
		if i := strings.IndexByte(query, '&'); i >= 0 {
			kv, query = query[:i], query[i+1:]
		} else {
			kv, query = query, ""
		}
		k, v, _ := strings.Cut(kv, "=")
		if k == "" || !slices.Contains(keep, k) {
			continue
		}
		ps = append(ps, param{k, truncate(v, MaxParamValue)})
	}
	if len(ps) == 0 {
		return b
	}
	slices.SortFunc(ps, func(x, y param) int {
		if c := strings.Compare(x.key, y.key); c != 0 {
			return c
		}
		return strings.Compare(x.value, y.value)
	})
	ps = slices.Compact(ps)
	for i, p := range ps {
		if i == 0 {
			b = append(b, '?')
		} else {
			b = append(b, '&')
		}
		b = appendClean(b, p.key, false)
		b = append(b, '=')
		b = appendClean(b, p.value, false)
		if len(b) > MaxPath {
			break
		}
	}
	return b
}
