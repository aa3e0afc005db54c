package analytics

import (
	"net/netip"
	"time"
)

// Hit is one page view or custom event as the collector received it. IP and UserAgent
// are classified in memory by Record and never stored or logged.
type Hit struct {
	SiteID int64
	Kind   string // KindPageview or KindEvent
	Event  string // the event's name for KindEvent (e.g. "download"), at most 64 bytes

	Path, Referrer, Language          string
	ScreenWidth                       int
	UTMSource, UTMMedium, UTMCampaign string

	IP        netip.Addr // memory only: never stored, never logged
	UserAgent string     // memory only
	Time      time.Time  // zero means now
}

// The kinds of hit.
const (
	KindPageview = "pageview"
	KindEvent    = "event"
)

// MaxEventName is the longest event name kept, in bytes; longer names are cut.
const MaxEventName = 64

// Site is one website whose visits Candor counts.
type Site struct {
	ID     int64
	Name   string // how staff name it on the command line: a–z, 0–9, '-', '.'
	Domain string // the host its pages are served from, lower case, no port
}

// The dimensions that every report breaks counts down by, in report order.
const (
	DimTotal       = "total" // the site as a whole: value ""
	DimPage        = "page"
	DimSection     = "section" // the first segment of a page's path: "/blog/x" counts for "/blog"
	DimEntry       = "entry"
	DimExit        = "exit"
	DimSource      = "source"
	DimReferrer    = "referrer"
	DimUTMCampaign = "utm_campaign"
	DimCountry     = "country"
	DimRegion      = "region" // ISO 3166-2 ("DE-BY"); counted only with Options.Geo
	DimCity        = "city"   // an English city name; counted only with Options.Geo
	DimLanguage    = "language"
	DimBrowser     = "browser"
	DimOS          = "os"
	DimDevice      = "device"
	DimScreen      = "screen"
	DimEvent       = "event"
	// DimHour is the site's total per hour of the UTC day (values "00" to "23"): the
	// chart's hourly points. It is not a breakdown and no report lists it.
	DimHour = "hour"
)

// Dimensions lists the report dimensions (all but DimTotal), in report order.
var Dimensions = []string{DimPage, DimSection, DimEntry, DimExit, DimSource, DimReferrer, DimUTMCampaign, DimCountry,
	DimRegion, DimCity, DimLanguage, DimBrowser, DimOS, DimDevice, DimScreen, DimEvent}

// visitDims are the dimensions fixed for a whole visit, taken from its first hit.
var visitDims = [...]string{DimSource, DimReferrer, DimUTMCampaign, DimCountry, DimRegion, DimCity, DimLanguage, DimBrowser, DimOS, DimDevice, DimScreen}

// Other is the value that collects what a dimension does not show on its own: values
// beyond the cardinality cap, and in reports, values too small to show.
const Other = "(other)"

// Counters are the sums kept per aggregate.
type Counters struct {
	Pageviews  int64
	Visits     int64 // on DimExit: visits that ended on the page
	Bounces    int64 // visits of one page view
	DurationMs int64 // total visit time, first to last page view
	Events     int64
}

func (c *Counters) add(o Counters) {
	c.Pageviews += o.Pageviews
	c.Visits += o.Visits
	c.Bounces += o.Bounces
	c.DurationMs += o.DurationMs
	c.Events += o.Events
}

// Aggregate is one cell: the sums of one site, UTC day, dimension and value. Handed to
// Store.Merge, it is what to add to the stored cell; read back, what is stored.
type Aggregate struct {
	SiteID   int64
	Day      int64 // Unix milliseconds of the UTC midnight that starts the day
	Dim      string
	Value    string
	Counters Counters
	// Visitors is a count to add. The aggregator estimates a cell's distinct visitors
	// with an in-memory sketch for as long as its salt lives, and sends what the estimate
	// grew by since the last flush; so the stored figure is the sum of the estimates of
	// every salt (every day, restart and instance), which is what merging their sketches
	// would give, as visitor keys of different salts never match.
	Visitors int64
}

// DayOf returns the Unix milliseconds of the UTC midnight that starts t's day.
func DayOf(t time.Time) int64 {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).UnixMilli()
}
