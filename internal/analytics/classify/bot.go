package classify

import "strings"

// botTokens (each at least three bytes) are lower-case substrings that mark crawlers, monitors, link
// previewers, headless browsers, scripts and HTTP libraries.
var botTokens = [...]string{
	"bot", "crawl", "spider", "slurp", "scrap", "archiver", "facebookexternalhit",
	"facebookcatalog", "meta-externalagent", "mediapartners", "adsbot", "feedfetcher",
	"google-inspectiontool", "google-read-aloud", "googleother", "storebot",
	"lighthouse", "pagespeed", "gtmetrix", "pingdom", "uptime", "monitor", "statuscake",
	"headless", "phantomjs", "selenium", "puppeteer", "playwright", "curl/", "wget/", "python-requests", "python-urllib", "python/", "aiohttp",
	"httpx", "go-http-client", "java/", "okhttp", "apache-httpclient", "jakarta",
	"libwww", "lwp-", "perl", "ruby", "php/", "guzzlehttp", "axios/", "node-fetch",
	"undici", "node.js", "deno/", "bun/", "httpie", "postman", "insomnia", "http_request",
	"winhttp", "powershell", "dart:io", "reqwest", "hackney", "rest-client",
	"embedly", "preview", "skypeuripreview", "twitterbot", "redditbot", "bitlybot",
	"mastodon", "akkoma", "pleroma", "misskey", "ia_archiver", "wayback",
	"validator", "w3c_", "check_http", "nagios", "zabbix", "prometheus",
	"feedly", "feedburner", "rss", "newsblur", "inoreader", "flipboard",
	"gptbot", "chatgpt", "claude", "anthropic", "perplexity", "ccbot", "cohere",
	"bytespider", "petalbot", "ahrefs", "semrush", "mj12", "dotbot", "seznam",
	"yandex.com/bots", "baiduspider", "sogou", "exabot", "qwantify", "applebot",
	"duckduckbot", "duckassist", "bingpreview", "msnbot", "ia-archiver",
	"scan", "nmap", "masscan", "zgrab", "nikto", "sqlmap", "nuclei", "censys",
	"expanse", "shodan", "netcraft", "l9explore", "httrack", "heritrix",
	"cloudflare", "amazon cloudfront", "googleweblight", "google favicon",
	"+http", "http://", "https://", "ptst", "page speed", "dareboost", "google-",
	"google web preview", "google search console", "google pp", "siteimprove", "mshots",
	"webthumb", "alertra", "daum", "rivaliq", "ips-agent", "evc-batch", "hubspot",
	"linktiger", "adbeat", "screenshot", "thumbnail",
}

// isBot reports whether ua is empty, implausibly short, lacks the shape of
// a browser's user agent, or carries a known crawler or library token.
func isBot(ua string) bool {
	if len(ua) < 20 {
		return true
	}
	// Every current browser starts with "Mozilla/5.0 (" (old Opera with
	// "Opera/"); scripts and libraries rarely do. Feature phones' browsers
	// are let through.
	if !strings.HasPrefix(ua, "Mozilla/") && !strings.HasPrefix(ua, "Opera/") && !legacyMobile(ua) {
		return true
	}
	if !strings.Contains(ua, "(") || strings.Contains(ua, "@") {
		return true
	}
	// "(compatible; Something/1.0)" is the crawler's idiom; only Internet
	// Explorer used it as a browser.
	if strings.Contains(ua, "compatible;") && !strings.Contains(ua, "MSIE ") && !strings.Contains(ua, "Trident/") {
		return true
	}
	for i := 0; i+2 < len(ua); i++ {
		a, b, c := lower(ua[i]), lower(ua[i+1]), lower(ua[i+2])
		h := trigram(a, b, c)
		if botTrigrams[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		rest := ua[i:]
		for _, t := range botIndex[a] {
			if len(rest) >= len(t) && hasPrefixFold(rest, t) {
				return true
			}
		}
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s begins with the lower-case token t,
// ignoring ASCII case.
func hasPrefixFold(s, t string) bool {
	for j := 0; j < len(t); j++ {
		if lower(s[j]) != t[j] {
			return false
		}
	}
	return true
}

func trigram(a, b, c byte) uint32 {
	return (uint32(a)*0x9E3779B1 ^ uint32(b)*0x85EBCA77 ^ uint32(c)*0xC2B2AE3D) >> 19 // 13 bits
}

// botIndex holds botTokens by first byte, and botTrigrams is a bit set of
// (hashed) first three bytes of every token, so that the scan tests one bit
// per position and compares tokens only where one can start.
var (
	botIndex    [256][]string
	botTrigrams [1 << 13 / 64]uint64
)

func init() {
	for _, t := range botTokens {
		if len(t) < 3 {
			panic("classify: bot token shorter than 3 bytes: " + t)
		}
		botIndex[t[0]] = append(botIndex[t[0]], t)
		h := trigram(t[0], t[1], t[2])
		botTrigrams[h>>6] |= 1 << (h & 63)
	}
}

// legacyMobile reports feature-phone and proxy browsers whose user agents do
// not start with "Mozilla/".
func legacyMobile(ua string) bool {
	for _, t := range [...]string{"Opera", "UCWEB", "UCBrowser", "BlackBerry", "Nokia", "MIDP", "SAMSUNG", "LG-", "Android"} {
		if strings.Contains(ua, t) {
			return true
		}
	}
	return false
}
