package sqldb

import (
	"strings"
	"testing"
)

func TestFilterFill(t *testing.T) {
	const q = "SELECT x FROM t/*where*/ ORDER BY id LIMIT ?"
	var none filter
	if got, args := none.fill(q, 10); got != "SELECT x FROM t ORDER BY id LIMIT ?" || len(args) != 1 || args[0] != 10 {
		t.Errorf("empty filter: %q %v", got, args)
	}
	var w filter
	w.add("a = ?", "A")
	w.add("b IS NULL")
	w.add("substr(c, 1, ?) = ?", 2, "cc")
	got, args := w.fill(q, 10)
	if want := "SELECT x FROM t WHERE a = ? AND b IS NULL AND substr(c, 1, ?) = ? ORDER BY id LIMIT ?"; got != want {
		t.Errorf("fill = %q, want %q", got, want)
	}
	if len(args) != 4 || args[0] != "A" || args[1] != 2 || args[2] != "cc" || args[3] != 10 {
		t.Errorf("args = %v", args)
	}
	got, _ = w.fill("SELECT x FROM t WHERE k = ?/*and*/")
	if want := "SELECT x FROM t WHERE k = ? AND a = ? AND b IS NULL AND substr(c, 1, ?) = ?"; got != want {
		t.Errorf("fill /*and*/ = %q, want %q", got, want)
	}
	// fill never aliases the filter's arguments: appending to one result leaves the next alone.
	a1, a2 := func() ([]any, []any) { _, a := w.fill(q, 1); _, b := w.fill(q, 2); return a, b }()
	if a1[3] != 1 || a2[3] != 2 {
		t.Errorf("args aliased: %v %v", a1, a2)
	}
}

func TestList(t *testing.T) {
	for _, c := range []struct {
		q, name string
		n       int
		want    string
	}{
		{"x IN (?/*ids*/)", "ids", 3, "x IN (?, ?, ?)"},
		{"x IN (?/*ids*/)", "ids", 0, "x IN (?)"},
		{"VALUES (?, CAST(? AS INT))/*rows*/ ON", "rows", 2, "VALUES (?, CAST(? AS INT)), (?, CAST(? AS INT)) ON"},
		{"a IN (?/*ids*/) OR b IN (?/*ids*/) AND c IN (?/*l*/)", "ids", 2, "a IN (?, ?) OR b IN (?, ?) AND c IN (?/*l*/)"},
		{"no marker", "ids", 5, "no marker"},
	} {
		if got := list(c.q, c.name, c.n); got != c.want {
			t.Errorf("list(%q, %q, %d) = %q, want %q", c.q, c.name, c.n, got, c.want)
		}
	}
}

var testSorts = map[string]string{"created": "created_at", "confirmed": "COALESCE(confirmed_at, 0)"}

func TestOrderBy(t *testing.T) {
	q := orderBy("SELECT x FROM t/*order*/ LIMIT ?", sortTerms(testSorts, "confirmed", "created", true))
	if want := "SELECT x FROM t ORDER BY COALESCE(confirmed_at, 0) ASC, id ASC LIMIT ?"; q != want {
		t.Errorf("orderBy = %q, want %q", q, want)
	}
	if got := sortTerms(testSorts, "created_at; DROP TABLE t", "created", false); got != "created_at DESC, id DESC" {
		t.Errorf("unknown key sorted by %q, want the default", got)
	}
}

// A sort key comes from the URL: whatever it is, the terms are a whitelisted column and
// a direction, never the key itself.
func FuzzSortTerms(f *testing.F) {
	f.Add("created", true)
	f.Add("status'--", false)
	f.Fuzz(func(t *testing.T, key string, asc bool) {
		got := sortTerms(testSorts, key, "created", asc)
		col, _, ok := strings.Cut(got, " ")
		if !ok || (col != "created_at" && !strings.HasPrefix(got, "COALESCE(confirmed_at, 0) ")) {
			t.Fatalf("sortTerms(%q) = %q: not a whitelisted column", key, got)
		}
		if !strings.HasSuffix(got, ", id ASC") && !strings.HasSuffix(got, ", id DESC") {
			t.Fatalf("sortTerms(%q) = %q: no tie-breaker", key, got)
		}
	})
}
