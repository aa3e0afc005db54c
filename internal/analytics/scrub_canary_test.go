package analytics_test

import (
	"path/filepath"
	"testing"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/testkit/canary"
)

// Promise: statistics give a broad picture, never a focus on one person: an email
// address, a customer number or a token in a page path or an event name is replaced by
// a placeholder before anything is counted, so it is nowhere in the database file or
// its WAL, in any encoding.
func TestIdentifiersInPathsAndEventsAreNeverStored(t *testing.T) {
	dir := t.TempDir()
	e := openEnv(t, "sqlite:"+filepath.Join(dir, "candor.db"))
	a := e.aggregator(analytics.Options{KeepParams: []string{"utm_campaign"}})
	const (
		email  = "alice.canary@example.org"
		number = "4915112345678"
		token  = "Zq7Xv2Lp9Rt4Wm8Kd3Hs"
	)
	for v := range 6 {
		e.view(a, v, "/account/"+email+"/orders/"+number+"?utm_campaign="+token, day0)
		a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindEvent, Event: "signup " + email,
			IP: ip(v), UserAgent: chromeUA, Time: day0})
	}
	flush(t, a)
	if c, _ := e.raw(t, day0, day0, analytics.DimPage, "/account/:email/orders/:id?utm_campaign=:id"); c.Pageviews != 6 {
		t.Errorf("the scrubbed path counts %d page views, want 6", c.Pageviews)
	}
	if c, _ := e.raw(t, day0, day0, analytics.DimEvent, "signup :email"); c.Events != 6 {
		t.Errorf("the scrubbed event counts %d, want 6", c.Events)
	}
	canary.AssertAbsent(t, "statistics never store a person's identifier", []string{dir}, email, number, token)
}
