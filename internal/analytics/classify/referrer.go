package classify

import "strings"

// Referrer classifies the referrer of a page view: "" (or an unparseable
// value) is direct; the site's own host is internal; known search engines,
// social networks and webmail hosts come from a small table; anything else
// is a referral. The returned Host is lower-case, without "www.", port, user
// information, path, query or fragment, and never aliases ref. siteHost is
// normalised the same way, so "www.example.com:443" matches "example.com".
func Referrer(ref, siteHost string) Source {
	host, ok := refHost(ref)
	if !ok || host == "" {
		return Source{Kind: KindDirect}
	}
	if site, ok := refHost(siteHost); ok && site != "" && asciiEqualFold(host, site) {
		return Source{Host: known(host), Kind: KindInternal}
	}
	if h, kind, ok := lookupHost(host); ok {
		return Source{Host: h, Kind: kind}
	}
	return Source{Host: lowerClone(host), Kind: KindReferral}
}

// maxHost is the longest DNS name.
const maxHost = 253

// refHost extracts the host of a referrer (URL, scheme-less URL or bare
// host), without "www.", port, user information or trailing dot. It does not
// lower-case. ok is false when the host contains characters no host name can.
func refHost(ref string) (host string, ok bool) {
	s := strings.TrimSpace(truncate(ref, MaxInput))
	if s == "" {
		return "", true
	}
	if i := strings.Index(s, "://"); i >= 0 {
		scheme := s[:i]
		if !isScheme(scheme) {
			return "", false
		}
		s = s[i+3:]
	} else if strings.HasPrefix(s, "//") {
		s = s[2:]
	}
	// Authority ends at the first of / ? # \
	if i := strings.IndexAny(s, "/?#\\"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if strings.HasPrefix(s, "[") { // IPv6 literal
		i := strings.IndexByte(s, ']')
		if i < 0 {
			return "", false
		}
		s = s[1:i]
		for j := 0; j < len(s); j++ {
			c := s[j]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
				return "", false
			}
		}
		if s == "" || len(s) > 45 {
			return "", false
		}
		return s, true
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		for j := i + 1; j < len(s); j++ {
			if s[j] < '0' || s[j] > '9' {
				return "", false
			}
		}
		s = s[:i]
	}
	s = strings.TrimSuffix(s, ".")
	for len(s) > 4 && (s[0] == 'w' || s[0] == 'W') && asciiEqualFold(s[:4], "www.") {
		s = s[4:]
	}
	if s == "" || len(s) > maxHost {
		return "", false
	}
	for j := 0; j < len(s); j++ {
		c := s[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return "", false
		}
	}
	if s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return "", false
	}
	return s, true
}

func isScheme(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// lowerClone returns a lower-case copy of s that shares no memory with it.
func lowerClone(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

// known returns a copy of host that shares no memory with the input; hosts
// in the table come back as the table's own string.
func known(host string) string {
	if h, _, ok := lookupHost(host); ok {
		return h
	}
	return lowerClone(host)
}

// hosts maps a host (or a parent domain of it) to its kind. Longest match
// wins, so "mail.google.com" is email while "google.com" is search.
var hostKinds = map[string]string{
	// search
	"google.com": KindSearch, "bing.com": KindSearch, "cn.bing.com": KindSearch, "duckduckgo.com": KindSearch,
	"search.yahoo.com": KindSearch, "search.yahoo.co.jp": KindSearch, "yandex.ru": KindSearch,
	"yandex.com": KindSearch, "ya.ru": KindSearch, "baidu.com": KindSearch, "ecosia.org": KindSearch,
	"qwant.com": KindSearch, "startpage.com": KindSearch, "search.brave.com": KindSearch,
	"kagi.com": KindSearch, "ask.com": KindSearch, "naver.com": KindSearch, "search.naver.com": KindSearch,
	"seznam.cz": KindSearch, "search.seznam.cz": KindSearch, "sogou.com": KindSearch, "so.com": KindSearch,
	"aol.com": KindSearch, "search.aol.com": KindSearch, "mojeek.com": KindSearch, "perplexity.ai": KindSearch,
	"chatgpt.com": KindSearch, "you.com": KindSearch, "metager.org": KindSearch, "swisscows.com": KindSearch,
	"com.google.android.googlequicksearchbox": KindSearch,
	// social
	"t.co": KindSocial, "twitter.com": KindSocial, "x.com": KindSocial, "facebook.com": KindSocial,
	"fb.com": KindSocial, "fb.me": KindSocial, "instagram.com": KindSocial, "linkedin.com": KindSocial,
	"lnkd.in": KindSocial, "reddit.com": KindSocial, "redd.it": KindSocial, "news.ycombinator.com": KindSocial,
	"youtube.com": KindSocial, "youtu.be": KindSocial, "pinterest.com": KindSocial, "tiktok.com": KindSocial,
	"mastodon.social": KindSocial, "mastodon.online": KindSocial, "fosstodon.org": KindSocial,
	"hachyderm.io": KindSocial, "bsky.app": KindSocial, "threads.net": KindSocial, "threads.com": KindSocial,
	"lobste.rs": KindSocial, "vk.com": KindSocial, "weibo.com": KindSocial, "tumblr.com": KindSocial,
	"quora.com": KindSocial, "discord.com": KindSocial, "t.me": KindSocial, "telegram.org": KindSocial,
	"web.whatsapp.com": KindSocial, "wa.me": KindSocial, "stackoverflow.com": KindSocial,
	"dev.to": KindSocial, "producthunt.com": KindSocial, "slashdot.org": KindSocial, "xing.com": KindSocial,
	"com.twitter.android": KindSocial, "com.reddit.frontpage": KindSocial, "com.linkedin.android": KindSocial,
	// email
	"mail.google.com": KindEmail, "inbox.google.com": KindEmail, "outlook.live.com": KindEmail,
	"outlook.office.com": KindEmail, "outlook.office365.com": KindEmail, "mail.yahoo.com": KindEmail,
	"mail.proton.me": KindEmail, "mail.protonmail.com": KindEmail, "mail.aol.com": KindEmail,
	"mail.zoho.com": KindEmail, "mail.zoho.eu": KindEmail, "icloud.com": KindEmail, "fastmail.com": KindEmail,
	"app.fastmail.com": KindEmail, "mail.yandex.ru": KindEmail, "e.mail.ru": KindEmail,
	"mail.gmx.net": KindEmail, "web.de": KindEmail, "tuta.com": KindEmail, "app.tuta.com": KindEmail,
	"com.google.android.gm": KindEmail,
}

type hostEntry struct{ name, kind string }

// hosts is hostKinds with each entry carrying its own key, so that a lookup
// by a (stack) buffer returns a string owned by the table.
var hosts = func() map[string]hostEntry {
	m := make(map[string]hostEntry, len(hostKinds))
	for k, v := range hostKinds {
		m[k] = hostEntry{k, v}
	}
	return m
}()

// brands are second-level labels that are search engines under any
// country TLD: google.de, google.co.uk, yandex.kz, bing.co.jp …
var brands = map[string]bool{"google": true, "bing": true, "yandex": true, "yahoo": true, "baidu": true, "duckduckgo": true, "ecosia": true, "qwant": true, "startpage": true}

// lookupHost finds host (any case) or its closest listed parent in the
// tables; name is the table's key, never a slice of host.
func lookupHost(host string) (name, kind string, ok bool) {
	if len(host) > maxHost {
		return "", "", false
	}
	var buf [maxHost]byte
	low := buf[:len(host)]
	for i := 0; i < len(host); i++ {
		c := host[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	s := bytesString(low)
	full := s
	for {
		if e, found := hosts[s]; found {
			return e.name, e.kind, true
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	// Webmail by convention: mail.<domain>, webmail.<domain>.
	if strings.HasPrefix(full, "webmail.") || strings.HasPrefix(full, "mail.") && strings.Count(full, ".") >= 2 {
		return lowerClone(full), KindEmail, true
	}
	// Search engine brands under any country domain.
	if b, ok := brandOf(full); ok {
		if b == "google" && (strings.HasPrefix(full, "mail.") || strings.HasPrefix(full, "inbox.")) {
			return lowerClone(full), KindEmail, true
		}
		return lowerClone(stripSub(full, b)), KindSearch, true
	}
	return "", "", false
}

// brandOf reports whether host (lower-case) is [sub.]brand.tld,
// [sub.]brand.co.tld or [sub.]brand.com.tld for a search brand.
func brandOf(host string) (string, bool) {
	rest, tld := cutLast(host)
	if rest == "" {
		return "", false
	}
	rest, label := cutLast(rest)
	if len(tld) == 2 && (label == "co" || label == "com") && rest != "" {
		_, label = cutLast(rest)
	}
	if brands[label] {
		return label, true
	}
	return "", false
}

// cutLast splits "a.b.c" into "a.b" and "c".
func cutLast(s string) (before, last string) {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return "", s
	}
	return s[:i], s[i+1:]
}

// stripSub drops subdomains in front of the brand label except those that
// name a separate product ("search.yahoo.com" stays as is; "www2.google.de"
// becomes "google.de").
func stripSub(host, brand string) string {
	i := strings.Index(host, brand+".")
	if i <= 0 {
		return host
	}
	if brand == "yahoo" {
		return host
	}
	return host[i:]
}
