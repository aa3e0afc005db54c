// Package csvsafe neutralises CSV cells that a spreadsheet would run as a formula
// (CSV injection): every export of Candor writes its cells through Cell.
package csvsafe

import "strings"

// triggers start a formula; separators are where a spreadsheet may start a new cell
// (it may split on ";", "," or a tab whatever the file's own delimiter is, and the
// quotes around a field do not always survive that); fillers are skipped before a
// trigger, as spreadsheets skip them.
const (
	triggers   = "=+-@"
	separators = ";,\t\r\n"
	fillers    = " \""
)

// Cell returns v with a single quote before every character that could start a
// formula: =, +, -, @ at the start, or after a ";", ",", tab or line break (spaces and
// double quotes in between are skipped), and a leading tab or carriage return. Any
// other value is returned unchanged.
func Cell(v string) string {
	if Safe(v) {
		return v
	}
	var b strings.Builder
	if v[0] == '\t' || v[0] == '\r' {
		b.WriteByte('\'')
	}
	start := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if start && strings.IndexByte(triggers, c) >= 0 {
			b.WriteByte('\'')
		}
		b.WriteByte(c)
		switch {
		case strings.IndexByte(separators, c) >= 0:
			start = true
		case strings.IndexByte(fillers, c) < 0:
			start = false
		}
	}
	return b.String()
}

// Safe reports whether no spreadsheet would read a formula in v, however it splits it
// into cells: what Cell returns is always safe.
func Safe(v string) bool {
	if v != "" && (v[0] == '\t' || v[0] == '\r') {
		return false
	}
	start := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case start && strings.IndexByte(triggers, c) >= 0:
			return false
		case strings.IndexByte(separators, c) >= 0:
			start = true
		case strings.IndexByte(fillers, c) < 0:
			start = false
		}
	}
	return true
}
