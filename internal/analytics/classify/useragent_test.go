package classify

import (
	"strings"
	"testing"
)

var uaCases = []struct {
	name, ua string
	want     Agent
}{
	{"chrome-windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		Agent{"Chrome", "126", "Windows", "desktop", false}},
	{"chrome-macos", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		Agent{"Chrome", "131", "macOS", "desktop", false}},
	{"chrome-linux", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		Agent{"Chrome", "126", "Linux", "desktop", false}},
	{"chrome-android", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
		Agent{"Chrome", "126", "Android", "mobile", false}},
	{"chrome-android-tablet", "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
		Agent{"Chrome", "125", "Android", "tablet", false}},
	{"chrome-ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
		Agent{"Chrome", "126", "iOS", "mobile", false}},
	{"chromeos", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		Agent{"Chrome", "126", "ChromeOS", "desktop", false}},
	{"firefox-windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
		Agent{"Firefox", "127", "Windows", "desktop", false}},
	{"firefox-macos", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
		Agent{"Firefox", "127", "macOS", "desktop", false}},
	{"firefox-linux", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		Agent{"Firefox", "128", "Linux", "desktop", false}},
	{"firefox-android", "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
		Agent{"Firefox", "127", "Android", "mobile", false}},
	{"firefox-ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
		Agent{"Firefox", "127", "iOS", "mobile", false}},
	{"safari-macos", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
		Agent{"Safari", "17", "macOS", "desktop", false}},
	{"safari-iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		Agent{"Safari", "17", "iOS", "mobile", false}},
	{"safari-ipad", "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		Agent{"Safari", "17", "iPadOS", "tablet", false}},
	{"edge-windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68",
		Agent{"Edge", "126", "Windows", "desktop", false}},
	{"edge-macos", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
		Agent{"Edge", "126", "macOS", "desktop", false}},
	{"edge-android", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.0.0",
		Agent{"Edge", "126", "Android", "mobile", false}},
	{"edge-legacy", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045",
		Agent{"Edge", "18", "Windows", "desktop", false}},
	{"opera", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 OPR/111.0.0.0",
		Agent{"Opera", "111", "Windows", "desktop", false}},
	{"samsung", "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
		Agent{"Samsung Internet", "25", "Android", "mobile", false}},
	{"ie11", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
		Agent{"Internet Explorer", "11", "Windows", "desktop", false}},
	{"unknown-browser", "Mozilla/5.0 (X11; Linux x86_64) SomethingNew/1.0",
		Agent{"Other", "Other", "Linux", "desktop", false}},
	{"xbox", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edge/44.18363.8131",
		Agent{"Edge", "44", "Other", "other", false}},

	// bots, scripts, heuristics
	{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", botAgent},
	{"googlebot-smartphone", "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", botAgent},
	{"bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", botAgent},
	{"gptbot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", botAgent},
	{"facebook", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", botAgent},
	{"headless", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", botAgent},
	{"lighthouse", "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse", botAgent},
	{"curl", "curl/8.5.0", botAgent},
	{"wget", "Wget/1.21.4", botAgent},
	{"python", "python-requests/2.32.3", botAgent},
	{"go", "Go-http-client/2.0", botAgent},
	{"empty", "", botAgent},
	{"short", "Mozilla/5.0", botAgent},
	{"no-parens", "Mozilla/5.0 AppleWebKit Chrome Safari whatever", botAgent},
	{"whatsapp", "WhatsApp/2.23.20.0", botAgent},
	{"xss", `<script>alert(1)</script>`, botAgent},
	{"compatible-idiom", "Mozilla/5.0 (compatible; theoldreader.com)", botAgent},
	{"webpagetest", "Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0.2623.112 Safari/537.36 PTST/276", botAgent},
	{"pagespeed", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.4 (KHTML, like Gecko; Google Page Speed Insights) Chrome/22.0.1229 Safari/537.4", botAgent},
	{"ahrefs", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", botAgent},
	{"claudebot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)", botAgent},
	{"applebot", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)", botAgent},
	{"ie9-compatible", "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
		Agent{"Internet Explorer", "9", "Windows", "desktop", false}},
	{"opera-mini", "Opera/9.80 (J2ME/MIDP; Opera Mini/7.1.32840/35.5706; U; en) Presto/2.8.119 Version/11.10",
		Agent{"Opera", "11", "Other", "other", false}},
}

var botAgent = Agent{"Other", "Other", "Other", "bot", true}

func TestUserAgent(t *testing.T) {
	for _, tc := range uaCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := UserAgent(tc.ua); got != tc.want {
				t.Errorf("UserAgent(%q)\n got %+v\nwant %+v", tc.ua, got, tc.want)
			}
		})
	}
}

func TestUserAgentHostile(t *testing.T) {
	chrome := uaCases[0].ua
	for _, ua := range []string{
		strings.Repeat("A", 10_000),
		chrome + strings.Repeat(" x", 5_000),
		strings.Repeat("Mozilla/5.0 (", 1_000),
		"Mozilla/5.0 (\u202eswodniW) Chrome/99999999999999999999",
		"Mozilla/5.0 (Windows NT 10.0) Chrome/\x00\x01\x02",
		"\xff\xfe\xfd Mozilla/5.0 (Windows",
		string([]byte{0xe2, 0x80}),
	} {
		a := UserAgent(ua)
		if a.Browser == "" || a.BrowserVersion == "" || a.OS == "" || a.Device == "" {
			t.Errorf("UserAgent(%.40q) has an empty field: %+v", ua, a)
		}
		checkAgent(t, ua, a)
	}
	// A real UA padded past 1 KiB is still recognised from its first KiB.
	if a := UserAgent(chrome + strings.Repeat(" ", 10_000)); a.Browser != "Chrome" {
		t.Errorf("padded Chrome: %+v", a)
	}
}

var devices = map[string]bool{"desktop": true, "mobile": true, "tablet": true, "bot": true, "other": true}

func checkAgent(t testing.TB, ua string, a Agent) {
	t.Helper()
	if !devices[a.Device] {
		t.Errorf("UserAgent(%.40q).Device = %q", ua, a.Device)
	}
	if a.Bot != (a.Device == "bot") {
		t.Errorf("UserAgent(%.40q): Bot %v with Device %q", ua, a.Bot, a.Device)
	}
	if a.BrowserVersion != Other {
		if len(a.BrowserVersion) > 3 {
			t.Errorf("UserAgent(%.40q).BrowserVersion = %q", ua, a.BrowserVersion)
		}
		for _, c := range a.BrowserVersion {
			if c < '0' || c > '9' {
				t.Errorf("UserAgent(%.40q).BrowserVersion = %q", ua, a.BrowserVersion)
			}
		}
	}
	for _, s := range []string{a.Browser, a.OS} {
		if len(s) > 32 || strings.ContainsAny(s, "<>\"'&") {
			t.Errorf("UserAgent(%.40q) field %q", ua, s)
		}
	}
}

func FuzzUserAgent(f *testing.F) {
	for _, tc := range uaCases {
		f.Add(tc.ua)
	}
	f.Fuzz(func(t *testing.T, ua string) {
		checkAgent(t, ua, UserAgent(ua))
	})
}

func BenchmarkUserAgent(b *testing.B) {
	uas := []string{uaCases[0].ua, uaCases[13].ua, uaCases[7].ua, uaCases[24].ua}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		UserAgent(uas[i%len(uas)])
	}
}
