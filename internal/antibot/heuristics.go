package antibot

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// The content heuristics are a small table: each rule adds points, and a total at or
// above Config.SpamThreshold (default 5) files the message as Spam: into the spam
// folder, never dropped. No single rule firing once reaches the default threshold:
// it takes two known spam phrases, or a bare link through a URL shortener (3+2), or
// several weaker signals together.
//
//	rule            points  fires when
//	links           1–4     two or more links: one point per link after the first, at most 4
//	shortener       3       a link through a URL shortener (bit.ly, tinyurl.com, …)
//	link_only       2       a link, and fewer than 20 letters outside links
//	link_markup     3       HTML or BBCode links (<a href, [url=) in a plain-text form
//	spam_phrase     3 each  a known spam phrase ("first page of google", "backlinks", …), at most 6
//	shouting        2       20 or more cased letters, 80% or more of them capitals
//	mixed_script    2       a word mixing Latin and Cyrillic look-alikes ("vіagra" with a Cyrillic і)
//	repeated_chars  1       a run of 10 of one letter, or 6 of '!', '?' or '$'
//
// Deliberately not a rule: the script or language of the text. A message written
// entirely in Cyrillic, Chinese, Arabic or any other script scores exactly as the
// same message in English would; shouting counts only letters that have case, so
// caseless scripts can never trigger it.

// maxScanBytes bounds the text the heuristics read.
const maxScanBytes = 64 << 10

var (
	// linkRe finds links in lower-cased text.
	linkRe   = regexp.MustCompile(`\b(?:https?://|www\.)[^\s<>"'\]\[]+`)
	markupRe = regexp.MustCompile(`<a\s[^>]*href|\[url[=\]]`)
)

// shorteners are URL-shortener domains; a link through one hides where it goes.
var shorteners = []string{
	"bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "v.gd", "buff.ly",
	"cutt.ly", "rebrand.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "bl.ink",
	"shorte.st", "adf.ly", "qr.net", "tr.im", "x.co", "lnkd.in", "clck.ru", "u.to",
}

// spamPhrases are matched case-insensitively as substrings. Only phrases that almost
// never occur in a genuine message to a software vendor belong here.
var spamPhrases = []string{
	"first page of google",
	"backlinks",
	"guest post",
	"seo services",
	"rank your website",
	"increase your website traffic",
	"buy followers",
	"crypto investment",
	"investment opportunity",
	"make money fast",
	"work from home and earn",
	"casino",
	"viagra",
	"cialis",
	"100% guaranteed",
	"lead generation services",
	"web design services",
}

// Score rates free text against the table above and returns the total and the names
// of the rules that fired, in table order. It reads at most 64 KiB.
func Score(texts ...string) (int, []string) {
	text := strings.Join(texts, "\n")
	if len(text) > maxScanBytes {
		text = text[:maxScanBytes]
	}
	var score int
	var signals []string
	add := func(name string, points int) {
		if points > 0 {
			score += points
			signals = append(signals, name)
		}
	}

	// Links, shorteners and phrases are found in the lower-cased text, where spans
	// are measured too.
	lower := strings.ToLower(text)
	var links [][]int
	if strings.Contains(lower, "http") || strings.Contains(lower, "www.") {
		links = linkRe.FindAllStringIndex(lower, -1)
	}
	short := shortenerSpans(lower)
	n := len(links) + schemeless(short, links)
	add("links", min(max(n-1, 0), 4))
	if len(short) > 0 {
		add("shortener", 3)
	}
	if n > 0 && lettersOutside(lower, append(links, short...)) < 20 {
		add("link_only", 2)
	}
	if (strings.Contains(lower, "<a") || strings.Contains(lower, "[url")) && markupRe.MatchString(lower) {
		add("link_markup", 3)
	}
	phrases := 0
	for _, p := range spamPhrases {
		if strings.Contains(lower, p) {
			phrases++
		}
	}
	add("spam_phrase", min(3*phrases, 6))
	if shouting(text) {
		add("shouting", 2)
	}
	if mixedScriptWord(text) {
		add("mixed_script", 2)
	}
	if repeatedRun(text) {
		add("repeated_chars", 1)
	}
	return score, signals
}

// shortenerSpans finds links through a shortener in lower-cased text, with or
// without a scheme ("bit.ly/x", "https://tinyurl.com/x", "www.bit.ly/x"): the domain,
// not preceded by a letter, digit, '.' or '-' (except in "www."), then '/' and at
// least one more character. The spans are in text order.
func shortenerSpans(lower string) [][]int {
	var spans [][]int
	for _, d := range shorteners {
		for from := 0; ; {
			i := strings.Index(lower[from:], d+"/")
			if i < 0 {
				break
			}
			start := from + i
			end := start + len(d) + 1
			from = end
			if start > 0 {
				c := lower[start-1]
				www := start >= 4 && lower[start-4:start] == "www."
				if !www && ('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
					continue
				}
			}
			path := strings.IndexFunc(lower[end:], unicode.IsSpace)
			if path < 0 {
				path = len(lower) - end
			}
			if path == 0 {
				continue
			}
			spans = append(spans, []int{start, end + path})
		}
	}
	slices.SortFunc(spans, func(a, b []int) int { return a[0] - b[0] })
	return spans
}

// schemeless counts the shortener spans that overlap no link span (a shortener
// written without "https://" or "www."). Both lists are in text order, as FindAll
// returns them, so one pass over each suffices.
func schemeless(shorteners, links [][]int) int {
	n, j := 0, 0
	for _, s := range shorteners {
		for j < len(links) && links[j][1] <= s[0] {
			j++
		}
		if j == len(links) || links[j][0] >= s[1] {
			n++
		}
	}
	return n
}

// lettersOutside counts the letters of text outside the given spans, in time linear
// in the length of text and of the spans.
func lettersOutside(text string, spans [][]int) int {
	inside := make([]bool, len(text))
	for _, s := range spans {
		for i := s[0]; i < s[1]; i++ {
			inside[i] = true
		}
	}
	n := 0
	for i, r := range text {
		if unicode.IsLetter(r) && !inside[i] {
			n++
		}
	}
	return n
}

// shouting reports whether text has at least 20 cased letters, 80% of them upper
// case. Letters without case (Chinese, Japanese, Arabic, Hebrew, …) are not counted.
func shouting(text string) bool {
	var upper, cased int
	for _, r := range text {
		switch {
		case unicode.IsUpper(r):
			upper++
			cased++
		case unicode.IsLower(r):
			cased++
		}
	}
	return cased >= 20 && upper*5 >= cased*4
}

// Look-alike letters: Cyrillic letters that pass for Latin ones, and back.
const (
	cyrillicLookalikes = "аеорсухіјѕԁԛԝАВЕКМНОРСТУХІЈЅ"
	latinLookalikes    = "aeopcyxijsABEKMHOPCTYX"
)

// mixedScriptWord reports whether a word (a run of letters) mixes Latin and Cyrillic
// letters where the script in the minority is made only of look-alikes ("vіagra"
// with a Cyrillic і): the usual way to slip a word past filters. A Russian ending on
// an English name ("Windowsом") has letters that look like nothing Latin, and does
// not count.
func mixedScriptWord(text string) bool {
	var latin, cyr, latinLook, cyrLook int
	for _, r := range text + " " {
		switch {
		case unicode.Is(unicode.Latin, r):
			latin++
			if strings.ContainsRune(latinLookalikes, r) {
				latinLook++
			}
			continue
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
			if strings.ContainsRune(cyrillicLookalikes, r) {
				cyrLook++
			}
			continue
		case unicode.IsLetter(r):
			continue
		}
		if latin > 0 && cyr > 0 && (cyr <= latin && cyrLook == cyr || latin <= cyr && latinLook == latin) {
			return true
		}
		latin, cyr, latinLook, cyrLook = 0, 0, 0, 0
	}
	return false
}

// repeatedRun reports a run of 10 identical letters, or of 6 identical '!', '?' or
// '$'. Separators people paste ("-----", "=====") and digits do not count.
func repeatedRun(text string) bool {
	var prev rune
	run := 0
	for _, r := range text {
		if r == prev {
			run++
		} else {
			prev, run = r, 1
		}
		switch {
		case unicode.IsLetter(r) && run >= 10:
			return true
		case (r == '!' || r == '?' || r == '$') && run >= 6:
			return true
		}
	}
	return false
}
