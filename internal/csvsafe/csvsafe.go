// Package csvsafe neutralises CSV cells that a spreadsheet would run as a formula
// (CSV injection): every export of Candor writes its cells through Cell.
package csvsafe

import "strings"

// Cell returns v with a leading single quote when it starts with =, +, -, @, a tab or a
// carriage return; any other value is returned unchanged.
func Cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
