package sqldb

import (
	"strings"
)

// The dynamic parts of a named query are marked by SQL comments, so the query as
// written in queries/*.sql is complete SQL that runs (and EXPLAINs) as it stands, and
// the code fills the markers with fragments it builds itself, never with input:
//
//	/*where*/  the conditions of a filter: " WHERE a AND b", or nothing
//	/*and*/    the conditions of a filter after a WHERE of the query: " AND a AND b"
//	/*order*/  " ORDER BY " and sort terms picked from a whitelist (orderBy)
//	?/*NAME*/ or (…)/*NAME*/  a list: the "?" or tuple repeated n times (list)
//	name/*table*/, name/*columns*/  the identifier before the marker replaced by a table
//	           and its column list from the schema (ident; the rows format, rows.go)

// filter gathers the conditions of a WHERE clause and their bound arguments. Each
// condition is SQL written in code with "?" placeholders; values only ever travel as
// arguments.
type filter struct {
	conds []string
	args  []any
}

// add appends a condition and its arguments.
func (f *filter) add(cond string, args ...any) {
	f.conds = append(f.conds, cond)
	f.args = append(f.args, args...)
}

// fill puts the conditions at q's /*where*/ or /*and*/ marker (nothing when there are
// none) and returns q and the arguments, followed by more.
func (f *filter) fill(q string, more ...any) (string, []any) {
	where, and := "", ""
	if len(f.conds) > 0 {
		and = " AND " + strings.Join(f.conds, " AND ")
		where = " WHERE" + and[len(" AND"):]
	}
	q = strings.Replace(q, "/*where*/", where, 1)
	q = strings.Replace(q, "/*and*/", and, 1)
	args := make([]any, 0, len(f.args)+len(more))
	return q, append(append(args, f.args...), more...)
}

// orderBy puts " ORDER BY terms" at q's /*order*/ marker; terms must come from a
// whitelist in code (see sortTerms), never from input.
func orderBy(q, terms string) string {
	return strings.Replace(q, "/*order*/", " ORDER BY "+terms, 1)
}

// sortTerms returns the sort terms for key from a whitelist of column expressions,
// falling back to the whitelist's entry for def on an unknown key, each term followed
// by the direction and then by the tie-breaker "id" in the same direction, so that pages
// are stable.
func sortTerms[K comparable](whitelist map[K]string, key, def K, asc bool) string {
	col, ok := whitelist[key]
	if !ok {
		col = whitelist[def]
	}
	dir := " DESC"
	if asc {
		dir = " ASC"
	}
	return col + dir + ", id" + dir
}

// list repeats the item just before q's /*name*/ marker, a "?" or a parenthesised
// tuple, n times, comma-separated: list("IN (?/*ids*/)", "ids", 3) is "IN (?, ?, ?)".
// Every occurrence of the marker is filled. n < 1 leaves one item.
func list(q, name string, n int) string {
	marker := "/*" + name + "*/"
	for {
		at := strings.Index(q, marker)
		if at < 0 {
			return q
		}
		start := itemStart(q, at)
		item := q[start:at]
		var b strings.Builder
		b.Grow(len(q) + n*(len(item)+2))
		b.WriteString(q[:start])
		for i := range max(n, 1) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(item)
		}
		b.WriteString(q[at+len(marker):])
		q = b.String()
	}
}

// itemStart returns where the list item ending at end starts: the "?" just before it,
// or the "(" matching the ")" just before it.
func itemStart(q string, end int) int {
	if end == 0 || q[end-1] != ')' {
		return end - 1
	}
	depth := 0
	for i := end - 1; i >= 0; i-- {
		switch q[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return 0
}
