package analytics

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/analytics/classify"
)

// classified is what Record keeps of a hit once classified: no IP, no user agent.
type classified struct {
	site  int64
	t     time.Time
	path  string
	event string
	attrs [len(visitDims)]string // in visitDims order
}

// classify turns a hit into dimension values; ok is false for a bot.
func (a *Aggregator) classify(h Hit) (c classified, ok bool) {
	agent := classify.UserAgent(h.UserAgent)
	if agent.Bot {
		return c, false
	}
	c.site, c.t = h.SiteID, h.Time
	if h.Kind == KindEvent {
		c.event = clip(classify.ScrubWords(h.Event), MaxEventName)
		if c.event == "" {
			c.event = "(unnamed)"
		}
		return c, true
	}
	c.path = clip(classify.Path(h.Path, a.opts.KeepParams), maxDimensionValue)
	host := ""
	if a.opts.SiteHost != nil {
		host = a.opts.SiteHost(h.SiteID)
	}
	src := classify.Referrer(h.Referrer, host)
	referrer := src.Host
	if referrer == "" && h.UTMSource != "" {
		referrer = strings.ToLower(h.UTMSource)
	}
	browser := agent.Browser
	if agent.BrowserVersion != "" && agent.BrowserVersion != classify.Other {
		browser += " " + agent.BrowserVersion
	}
	var region, city string
	if a.opts.Geo != nil {
		region, city = a.opts.Geo(h.IP)
	}
	c.attrs = [len(visitDims)]string{
		clip(src.Kind, 32),
		clip(referrer, 253),
		clip(h.UTMCampaign, 128),
		classify.Country(h.IP),
		clip(region, 16),
		clip(city, 128),
		classify.Language(h.Language),
		clip(browser, 64),
		clip(agent.OS, 64),
		clip(agent.Device, 32),
		classify.ScreenClass(h.ScreenWidth),
	}
	return c, true
}

// clip cuts s to at most n bytes on a rune boundary and drops control characters and
// bidirectional overrides, so that stored values print safely.
func clip(s string, n int) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if !clean {
		s = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == utf8.RuneError {
				return -1
			}
			return r
		}, s)
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
