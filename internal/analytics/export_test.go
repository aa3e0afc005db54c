package analytics_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/csvsafe"
	"github.com/candor-dev/candor/internal/staff"
)

// Promise: a broad picture, never one individual, in exports too. A suppressed cell
// carries no number in JSON, and reads "< k" in every number column of the CSV; cells
// are guarded against formula injection.
func TestExportSuppressesSmallCells(t *testing.T) {
	e := newEnv(t)
	crowdAndLoner(t, e)
	a := e.aggregator(analytics.Options{})
	e.clock.t = day0.Add(24*time.Hour + 2*time.Hour)
	for v := range 6 { // a hostile but popular event name
		a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindEvent, Event: "=HYPERLINK(\"x\")", IP: ip(100 + v), UserAgent: chromeUA, Time: e.clock.t})
		a.Record(analytics.Hit{SiteID: e.site.ID, Kind: analytics.KindEvent, Event: "x;=1+1;", IP: ip(100 + v), UserAgent: chromeUA, Time: e.clock.t})
	}
	flush(t, a)
	x, err := e.reports.Export(context.Background(), staff.CLI, e.site, day0.Add(-24*time.Hour), day0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(x)
	if !bytes.Contains(js, []byte(`{"value":"(other)","suppressed":true}`)) || !bytes.Contains(js, []byte(`"suppressed":true}`)) {
		t.Errorf("JSON lacks a suppressed (other) without numbers:\n%s", js)
	}
	var decoded struct {
		Daily []map[string]any `json:"daily"`
	}
	_ = json.Unmarshal(js, &decoded)
	if len(decoded.Daily) != 3 || decoded.Daily[0]["visitors"] != float64(0) || decoded.Daily[1]["visitors"] == nil {
		t.Errorf("daily series: %v", decoded.Daily)
	}
	var buf bytes.Buffer
	if err := analytics.WriteCSV(&buf, x); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var other, hostile bool
	for _, rec := range recs[1:] {
		if rec[4] == analytics.Other && rec[5] == "< 5" {
			other = true
			for _, n := range rec[5:9] {
				if n != "< 5" {
					t.Errorf("suppressed row shows a number: %v", rec)
				}
			}
		}
		for _, c := range rec {
			if !csvsafe.Safe(c) { // Promise (issue 12, item 6): also after a ";", "," or tab
				t.Errorf("cell %q holds a formula", c)
			}
		}
		if strings.Contains(rec[4], "HYPERLINK") {
			hostile = rec[4] == `'=HYPERLINK("x")`
		}
		for _, v := range lonerValues {
			if rec[4] == v && rec[3] != analytics.DimSource {
				t.Errorf("the lone visitor's %q has a row of its own: %v", v, rec)
			}
		}
	}
	if !other || !hostile {
		t.Errorf("CSV lacks a suppressed (other) row or the page row:\n%v", recs)
	}
}
