package classify

// Language returns the primary language subtag, lower-case, of the first
// language range in an Accept-Language header or of a navigator.language
// value: "de" from "de-CH,de;q=0.9,en;q=0.8". It returns "" when there is
// none or when the subtag is not 2–3 ASCII letters ("*" included).
func Language(acceptOrNavigator string) string {
	s := truncate(acceptOrNavigator, MaxInput)
	// Take ranges in order; skip "*" and malformed ones, honour q=0.
	for len(s) > 0 {
		var item string
		if i := indexByte(s, ','); i >= 0 {
			item, s = s[:i], s[i+1:]
		} else {
			item, s = s, ""
		}
		if lang := primaryTag(item); lang != "" {
			return lang
		}
	}
	return ""
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// primaryTag parses one language range such as " de-CH;q=0.9".
func primaryTag(item string) string {
	// parameters
	params := ""
	if i := indexByte(item, ';'); i >= 0 {
		item, params = item[:i], item[i+1:]
	}
	if qZero(params) {
		return ""
	}
	item = trimSpace(item)
	end := 0
	for end < len(item) && item[end] != '-' && item[end] != '_' {
		end++
	}
	tag := item[:end]
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	var buf [3]byte
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			return ""
		}
		buf[i] = c
	}
	return internLang(buf[:len(tag)])
}

// qZero reports whether the parameters say q=0 (the range is not acceptable).
func qZero(params string) bool {
	params = trimSpace(params)
	if len(params) < 2 || (params[0] != 'q' && params[0] != 'Q') {
		return false
	}
	v := trimSpace(params[1:])
	if len(v) == 0 || v[0] != '=' {
		return false
	}
	v = trimSpace(v[1:])
	if len(v) == 0 || v[0] != '0' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] != '.' && v[i] != '0' {
			return false
		}
	}
	return true
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// internLang returns a string for b, without allocating for two-letter codes.
func internLang(b []byte) string {
	if len(b) == 2 {
		i := int(b[0]-'a')*26 + int(b[1]-'a')
		return twoLetter[i*2 : i*2+2]
	}
	return string(b)
}

var twoLetter = func() string {
	b := make([]byte, 0, 26*26*2)
	for x := byte('a'); x <= 'z'; x++ {
		for y := byte('a'); y <= 'z'; y++ {
			b = append(b, x, y)
		}
	}
	return string(b)
}()

// ScreenClass buckets a screen (or viewport) width in CSS pixels:
// "mobile" below 576, "tablet" below 992, "laptop" below 1440, "desktop"
// from 1440; "" for zero, negative or absurd (> 20000) widths.
func ScreenClass(width int) string {
	switch {
	case width <= 0 || width > 20000:
		return ""
	case width < 576:
		return "mobile"
	case width < 992:
		return "tablet"
	case width < 1440:
		return "laptop"
	default:
		return "desktop"
	}
}
