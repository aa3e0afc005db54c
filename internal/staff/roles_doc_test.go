package staff

import (
	"os"
	"strings"
	"testing"
)

// The documented permission matrix (docs/roles.md) is the one the code enforces.
func TestRolesDocMatchesMatrix(t *testing.T) {
	doc, err := os.ReadFile("../../docs/roles.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, line := range strings.Split(string(doc), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 10 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		perm := Permission(strings.Trim(strings.TrimSpace(cells[1]), "`"))
		seen++
		for i, role := range Roles { // columns: owner admin support marketing analyst shop
			documented := strings.TrimSpace(cells[3+i]) == "✓"
			if documented != role.Can(perm) {
				t.Errorf("docs/roles.md says %s can %s = %v; the code says %v", role, perm, documented, role.Can(perm))
			}
		}
	}
	all := map[Permission]bool{}
	for _, ps := range matrix {
		for _, p := range ps {
			all[p] = true
		}
	}
	if seen != len(all) {
		t.Errorf("docs/roles.md documents %d permissions; the code has %d", seen, len(all))
	}
}
