package classify

import "strings"

// UserAgent classifies a User-Agent header into coarse categories: browser
// family and major version, operating system, device class and whether it is
// a crawler, script or HTTP library. Inputs longer than MaxInput bytes are
// truncated first. The returned strings never alias ua.
func UserAgent(ua string) Agent {
	ua = truncate(ua, MaxInput)
	ua = strings.TrimSpace(ua)
	if isBot(ua) {
		return Agent{Browser: Other, BrowserVersion: Other, OS: Other, Device: DeviceBot, Bot: true}
	}
	a := Agent{Browser: Other, BrowserVersion: Other, OS: Other, Device: DeviceOther}
	a.Browser, a.BrowserVersion = browser(ua)
	a.OS, a.Device = osDevice(ua)
	return a
}

// browserRank ranks the product tokens ("Name/version") that name a
// browser family. Forks and in-app browsers that also carry "Chrome/" or
// "Safari/" rank before the engines they build on; the lowest rank found in
// the user agent wins.
func browserRank(product string) (rank int, name string) {
	switch product {
	case "Edg", "EdgA", "EdgiOS", "Edge":
		return 1, "Edge"
	case "OPR", "OPiOS", "OPT":
		return 2, "Opera"
	case "SamsungBrowser":
		return 3, "Samsung Internet"
	case "YaBrowser":
		return 4, "Yandex Browser"
	case "Vivaldi":
		return 5, "Vivaldi"
	case "UCBrowser":
		return 6, "UC Browser"
	case "DuckDuckGo", "Ddg":
		return 7, "DuckDuckGo"
	case "FBAV":
		return 8, "Facebook"
	case "Silk":
		return 9, "Silk"
	case "Firefox", "FxiOS":
		return 10, "Firefox"
	case "CriOS":
		return 11, "Chrome"
	case "Chromium":
		return 12, "Chromium"
	case "Chrome":
		return 13, "Chrome"
	case "Trident":
		return 14, "Internet Explorer"
	case "Opera":
		return 15, "Opera" // Presto: "Opera/9.80 (…) Presto/2.12 Version/12.16"
	case "Version":
		return 16, "Safari" // only with "Safari/": "Version/17.5 Mobile/15E148 Safari/604.1"
	}
	return 0, ""
}

func browser(ua string) (name, version string) {
	best, bestName, bestAt := 1<<30, "", -1
	for i := 1; i < len(ua); i++ {
		if ua[i] != '/' {
			continue
		}
		j := i
		for j > 0 && isProductChar(ua[j-1]) {
			j--
		}
		if r, n := browserRank(ua[j:i]); r > 0 && r < best {
			best, bestName, bestAt = r, n, i+1
		}
	}
	switch {
	case best < 14:
	case strings.Contains(ua, "MSIE "): // "compatible; MSIE 9.0; Windows NT 6.1"
		i := strings.Index(ua, "MSIE ")
		return "Internet Explorer", major(ua[i+5:])
	case best == 14: // Trident/7.0 with "rv:11.0"
		if i := strings.Index(ua, "rv:"); i >= 0 {
			return bestName, major(ua[i+3:])
		}
		return bestName, Other
	case strings.Contains(ua, "Instagram "):
		i := strings.Index(ua, "Instagram ")
		return "Instagram", major(ua[i+10:])
	case best == 15:
		if i := strings.Index(ua, "Version/"); i >= 0 {
			return bestName, major(ua[i+8:])
		}
	case best == 16:
		if !strings.Contains(ua, "Safari/") {
			return Other, Other
		}
	}
	if bestAt < 0 {
		return Other, Other
	}
	return bestName, major(ua[bestAt:])
}

func isProductChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// major returns the leading decimal number of s as an interned string, or
// Other when there is none or it is implausibly large.
func major(s string) string {
	n, digits := 0, 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		n = n*10 + int(s[digits]-'0')
		digits++
		if digits > 3 {
			return Other
		}
	}
	if digits == 0 {
		return Other
	}
	return smallInts[n]
}

var smallInts = func() []string {
	t := make([]string, 1000)
	for i := range t {
		t[i] = itoa(i)
	}
	return t
}()

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [4]byte
	p := len(b)
	for i > 0 {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b[p:])
}

// osDevice reads the platform from the first comment, "(Windows NT 10.0;
// Win64; x64)" or "(iPhone; CPU iPhone OS 17_5 like Mac OS X)", and the
// device class from it and from the "Mobile" token.
func osDevice(ua string) (os, device string) {
	platform := ua
	if i := strings.IndexByte(ua, '('); i >= 0 {
		platform = ua[i+1:]
		if j := strings.IndexByte(platform, ')'); j >= 0 {
			platform = platform[:j]
		}
	}
	has := func(s string) bool { return strings.Contains(platform, s) }
	switch {
	case has("Xbox"), has("PlayStation"), has("Nintendo"):
		return Other, DeviceOther
	case has("Windows Phone"):
		return "Windows Phone", DeviceMobile
	case has("iPad"):
		return "iPadOS", DeviceTablet
	case has("iPhone"), has("iPod"):
		return "iOS", DeviceMobile
	case has("Android"):
		if has("SMART-TV") || has("SmartTV") || has("Android TV") || has("BRAVIA") {
			return "Android", DeviceOther
		}
		if strings.Contains(ua, "Mobile") && !has("Tablet") {
			return "Android", DeviceMobile
		}
		return "Android", DeviceTablet
	case has("Kindle"), has("Silk/"):
		return "Fire OS", DeviceTablet
	case has("CrOS"):
		return "ChromeOS", DeviceDesktop
	case has("Windows"):
		return "Windows", DeviceDesktop
	case has("Macintosh"), has("Mac OS X"):
		return "macOS", DeviceDesktop
	case has("SMART-TV"), has("SmartTV"), has("Tizen"), has("Web0S"), has("webOS"):
		return Other, DeviceOther
	case has("Linux"), has("X11"):
		if strings.Contains(ua, "Mobile") {
			return "Linux", DeviceMobile
		}
		return "Linux", DeviceDesktop
	}
	return Other, DeviceOther
}
