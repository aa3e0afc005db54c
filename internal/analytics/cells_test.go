package analytics_test

import (
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
)

func agg(value string, pageviews, visitors int64) analytics.Aggregate {
	return analytics.Aggregate{Dim: analytics.DimPage, Value: value, Counters: analytics.Counters{Pageviews: pageviews, DurationMs: -pageviews}, Visitors: visitors}
}

func TestMergeCellsSumsInValueOrder(t *testing.T) {
	stored, err := analytics.MergeCells(nil, []analytics.Aggregate{agg("/docs/a", 1, 1), agg("/docs/b", 2, 2), agg("/x", 3, 3)})
	if err != nil {
		t.Fatal(err)
	}
	stored, err = analytics.MergeCells(stored, []analytics.Aggregate{agg("/", 10, 5), agg("/docs/b", 20, -1), agg("/docs/c", 7, 7), agg("/y", 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := analytics.DayCells{Day: 86_400_000, Dim: analytics.DimPage, Data: stored}.Aggregates(4)
	if err != nil {
		t.Fatal(err)
	}
	want := []analytics.Aggregate{agg("/", 10, 5), agg("/docs/a", 1, 1), agg("/docs/b", 22, 1), agg("/docs/c", 7, 7), agg("/x", 3, 3), agg("/y", 1, 0)}
	if len(got) != len(want) {
		t.Fatalf("got %d cells %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		want[i].SiteID, want[i].Day = 4, 86_400_000
		if got[i] != want[i] {
			t.Errorf("cell %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if packed := analytics.PackCells(got); string(packed) != string(stored) {
		t.Errorf("PackCells of the unpacked cells differs from what MergeCells wrote")
	}
}

func TestMergeCellsRefusesCorruptData(t *testing.T) {
	good := analytics.PackCells([]analytics.Aggregate{agg("/a", 1, 1), agg("/b", 1, 1)})
	for name, data := range map[string][]byte{
		"version":   append([]byte{9}, good[1:]...),
		"truncated": good[:len(good)-3],
		"prefix":    {1, 5, 1, 'a', 0, 0, 0, 0, 0, 0},
	} {
		if _, err := analytics.MergeCells(data, []analytics.Aggregate{agg("/c", 1, 1)}); err == nil {
			t.Errorf("%s: corrupt cells merged without an error", name)
		}
	}
}

func TestWeekOfIsTheMonday(t *testing.T) {
	monday := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for d := range 14 {
		day := monday.AddDate(0, 0, d)
		want := monday.AddDate(0, 0, d/7*7)
		if got := analytics.WeekOf(analytics.DayOf(day)); got != want.UnixMilli() {
			t.Errorf("WeekOf(%s) = %s, want %s", day.Format("Mon 2 Jan"), time.UnixMilli(got).UTC().Format("Mon 2 Jan"), want.Format("Mon 2 Jan"))
		}
	}
}

// FuzzMergeCells: whatever bytes a row holds, merging either fails or yields cells that
// read back and hold the value added; it never panics.
func FuzzMergeCells(f *testing.F) {
	f.Add(analytics.PackCells([]analytics.Aggregate{agg("/a", 1, 1), agg("/ab", 2, 2)}), "/b")
	f.Add([]byte{1, 0, 1, 'x', 2, 0, 0, 0, 0, 2}, "/")
	f.Add([]byte{}, "")
	f.Fuzz(func(t *testing.T, data []byte, value string) {
		out, err := analytics.MergeCells(data, []analytics.Aggregate{agg(value, 3, 1)})
		if err != nil {
			return
		}
		cells, err := analytics.DayCells{Data: out}.Aggregates(1)
		if err != nil {
			t.Fatalf("MergeCells wrote cells it cannot read: %v", err)
		}
		found := false
		for _, c := range cells {
			found = found || c.Value == value
		}
		if !found {
			t.Fatalf("merged %q is missing from %+v", value, cells)
		}
	})
}
