package classify

import "net/netip"

// MaxInput is the number of bytes of any input that is looked at; longer
// inputs are truncated (at a rune boundary) before parsing.
const MaxInput = 1024

// Other is the value given to any category that is not recognised.
const Other = "Other"

// Agent is the coarse classification of a user-agent string.
type Agent struct {
	Browser        string // browser family, e.g. "Chrome", "Firefox", "Safari", "Edge"; Other when unknown
	BrowserVersion string // major version only, e.g. "126"; Other when unknown
	OS             string // e.g. "Windows", "macOS", "Linux", "Android", "iOS", "iPadOS", "ChromeOS"; Other when unknown
	Device         string // "desktop", "mobile", "tablet", "bot" or "other"
	Bot            bool   // true for crawlers, scripts and HTTP libraries
}

// Source is the coarse classification of a referrer.
type Source struct {
	Host string // normalised: lower-case, no "www.", no port, no path or query; "" for direct
	Kind string // "direct", "search", "social", "email", "internal" or "referral"
}

// Source kinds.
const (
	KindDirect   = "direct"
	KindSearch   = "search"
	KindSocial   = "social"
	KindEmail    = "email"
	KindInternal = "internal"
	KindReferral = "referral"
)

// Device classes.
const (
	DeviceDesktop = "desktop"
	DeviceMobile  = "mobile"
	DeviceTablet  = "tablet"
	DeviceBot     = "bot"
	DeviceOther   = "other"
)

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	// back up over continuation bytes (at most 3)
	for k := 0; k < 3 && i > 0 && s[i]&0xC0 == 0x80; k++ {
		i--
	}
	return s[:i]
}

// Country returns the ISO 3166-1 alpha-2 code of the country the address is
// registered in, from an embedded offline database; "" when the address is
// invalid, private, loopback, link-local, multicast, unspecified or unknown.
func Country(ip netip.Addr) string {
	return country(ip)
}
