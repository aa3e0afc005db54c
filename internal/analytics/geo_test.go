package analytics_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/analytics/geo"
	"github.com/candor-dev/candor/internal/testkit/geodb"
)

// visitFrom records a page view of one visitor from addr.
func (e *env) visitFrom(t *testing.T, a *analytics.Aggregator, addr, path string) {
	t.Helper()
	if !a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindPageview, Path: path,
		IP: netip.MustParseAddr(addr), UserAgent: chromeUA, Time: e.clock.t}) {
		t.Fatal("Record refused")
	}
}

func TestRegionAndCityFromTheCityDatabase(t *testing.T) {
	db, err := geo.Open(geodb.Write(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := newEnv(t)
	a := e.aggregator(analytics.Options{Geo: db.Lookup})
	for _, addr := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3", "198.51.100.1", "198.51.100.2"} {
		e.visitFrom(t, a, addr, "/")
	}
	e.visitFrom(t, a, "203.0.113.1", "/pricing") // the same visit goes on
	flush(t, a)
	for _, tc := range []struct {
		dim, value string
		want       analytics.Counters
		visitors   uint64
	}{
		{analytics.DimRegion, geodb.Region, analytics.Counters{Pageviews: 4, Visits: 3, Bounces: 2}, 3},
		{analytics.DimCity, geodb.City, analytics.Counters{Pageviews: 4, Visits: 3, Bounces: 2}, 3},
		{analytics.DimRegion, "", analytics.Counters{Pageviews: 2, Visits: 2, Bounces: 2}, 2},
		{analytics.DimCity, "", analytics.Counters{Pageviews: 2, Visits: 2, Bounces: 2}, 2},
	} {
		if c, v := e.raw(t, day0, day0, tc.dim, tc.value); c != tc.want || v != tc.visitors {
			t.Errorf("%s %q = %+v, %d visitors; want %+v, %d", tc.dim, tc.value, c, v, tc.want, tc.visitors)
		}
	}
}

func TestCityCardinalityCap(t *testing.T) {
	db, err := geo.Open(geodb.Write(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := newEnv(t)
	a := e.aggregator(analytics.Options{Geo: db.Lookup, MaxValues: 1})
	e.visitFrom(t, a, "198.51.100.1", "/") // takes the one value of the day: unknown
	e.visitFrom(t, a, "203.0.113.1", "/")
	flush(t, a)
	for _, dim := range []string{analytics.DimRegion, analytics.DimCity} {
		if c, _ := e.raw(t, day0, day0, dim, analytics.Other); c.Visits != 1 {
			t.Errorf("%s %q: %+v, want the visit beyond the cap", dim, analytics.Other, c)
		}
	}
	if c, _ := e.raw(t, day0, day0, analytics.DimCity, geodb.City); c != (analytics.Counters{}) {
		t.Errorf("a city beyond the cap is stored: %+v", c)
	}
}

func TestNoCityDatabaseNoRegionOrCity(t *testing.T) {
	e := newEnv(t)
	a := e.aggregator(analytics.Options{})
	e.visitFrom(t, a, "203.0.113.1", "/")
	flush(t, a)
	aggs, err := e.store.Stats(context.Background(), e.site.ID, analytics.DayOf(day0), analytics.DayOf(day0))
	if err != nil {
		t.Fatal(err)
	}
	for _, ag := range aggs {
		if ag.Dim == analytics.DimRegion || ag.Dim == analytics.DimCity {
			t.Errorf("stored without a city database: %+v", ag)
		}
	}
	if len(aggs) == 0 {
		t.Fatal("nothing stored")
	}
}
