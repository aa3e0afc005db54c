package privacy

import (
	"fmt"
	"strings"
)

// Markdown renders docs/privacy.md from the inventory and the retention rules. The file
// is generated: run `go test ./internal/privacy -run TestPrivacyDoc -update` after a
// change to the inventory; the test fails while the file differs.
func Markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# What Candor stores\n\n")
	w("<!-- Generated from internal/privacy (the inventory): do not edit. `go test ./internal/privacy -run TestPrivacyDoc -update` rewrites it. -->\n\n")
	w("Every column of every table, declared in `internal/privacy`: what it holds, whether it can hold personal\n")
	w("data (pseudonymous ids and blind indexes included), whether it is sealed (encrypted with the\n")
	w("installation's key, see [keys.md](keys.md)), why it is stored, how long (the retention rules below, with\n")
	w("their settings in [configuration.md](configuration.md)), which staff roles may see it ([roles.md](roles.md);\n")
	w("the command line on the server sees everything) and what erasing it means. A test fails when the schema\n")
	w("on SQLite or PostgreSQL has a column this list does not declare, or the other way round.\n\n")
	w("How erased data leaves the database file: [operations.md](operations.md#erasure-and-the-database-files).\n\n")

	byPurpose, personal, total := Summary()
	w("## Summary\n\n%d columns, %d of which can hold personal data.\n\n| purpose | columns | personal |\n|---|---|---|\n", total, personal)
	for _, p := range Purposes {
		n := 0
		for _, f := range Inventory() {
			if f.Purpose == p && f.Personal {
				n++
			}
		}
		w("| %s | %d | %d |\n", p, byPurpose[p], n)
	}

	w("\n## Retention rules\n\nThe retention job of `candor serve` enforces the configurable rules every hour and logs only counts.\n\n")
	w("| rule | setting | default | counted from | then | why |\n|---|---|---|---|---|---|\n")
	for _, r := range Rules {
		setting := "—"
		if r.Setting != "" {
			setting = "`--" + r.Setting + "`"
		}
		w("| %s | %s | %s | %s | %s | %s |\n", r.Name, setting, r.Default, r.From, r.Then, r.Why)
	}

	w("\n## Columns\n")
	current := ""
	for _, f := range Inventory() {
		if f.Table != current {
			current = f.Table
			w("\n### %s\n\n| column | what | personal | sealed | purpose | retention | roles | erasure |\n|---|---|---|---|---|---|---|---|\n", current)
		}
		roles := make([]string, 0, 6)
		for _, r := range f.Roles() {
			roles = append(roles, string(r))
		}
		w("| `%s` | %s | %s | %s | %s | %s | %s | %s |\n", f.Column, f.What, yes(f.Personal), yes(f.Sealed),
			f.Purpose, f.Retention, strings.Join(roles, ", "), f.Erasure)
	}
	return b.String()
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
