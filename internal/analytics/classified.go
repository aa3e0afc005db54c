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

// agentClass is what a hit's user agent contributes: bot or not, and the browser (with
// its major version), operating system and device values.
type agentClass struct {
	bot                 bool
	browser, os, device string
}

// classifyAgent classifies a user agent into its dimension values.
func classifyAgent(ua string) agentClass {
	agent := classify.UserAgent(ua)
	browser := agent.Browser
	if agent.BrowserVersion != "" && agent.BrowserVersion != classify.Other {
		browser += " " + agent.BrowserVersion
	}
	return agentClass{bot: agent.Bot, browser: clip(browser, 64), os: clip(agent.OS, 64), device: clip(agent.Device, 32)}
}

// classify turns a hit into dimension values; ok is false for a bot. The user agent's
// and the referrer's classifications come from the aggregator's bounded caches.
func (a *Aggregator) classify(h Hit) (c classified, ok bool) {
	agent := a.agents.get(h.UserAgent, "", func() agentClass { return classifyAgent(h.UserAgent) })
	if agent.bot {
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
	src := classify.Source{Kind: classify.KindDirect}
	if h.Referrer != "" {
		src = a.referrers.get(h.Referrer, host, func() classify.Source {
			s := classify.Referrer(h.Referrer, host)
			return classify.Source{Kind: clip(s.Kind, 32), Host: clip(s.Host, 253)}
		})
	}
	referrer := src.Host
	if referrer == "" && h.UTMSource != "" {
		referrer = clip(strings.ToLower(h.UTMSource), 253)
	}
	var region, city string
	if a.opts.Geo != nil {
		region, city = a.opts.Geo(h.IP)
	}
	c.attrs = [len(visitDims)]string{
		src.Kind,
		referrer,
		clip(h.UTMCampaign, 128),
		classify.Country(h.IP),
		clip(region, 16),
		clip(city, 128),
		classify.Language(h.Language),
		agent.browser,
		agent.os,
		agent.device,
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
