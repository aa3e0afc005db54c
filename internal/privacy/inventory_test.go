package privacy

import (
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

var update = flag.Bool("update", false, "rewrite docs/privacy.md from the inventory")

// Promise: docs/privacy.md says what the code declares (it is generated from the
// inventory; run with -update after changing it).
func TestPrivacyDoc(t *testing.T) {
	const path = "../../docs/privacy.md"
	want := Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/privacy.md differs from the inventory: run go test ./internal/privacy -run TestPrivacyDoc -update")
	}
}

// Every declared column is complete: a known retention rule, purpose and erasure, a
// permission some role has, and no column declared twice.
func TestInventoryIsComplete(t *testing.T) {
	seen := map[[2]string]bool{}
	for _, f := range Inventory() {
		key := [2]string{f.Table, f.Column}
		if seen[key] {
			t.Errorf("%s.%s is declared twice", f.Table, f.Column)
		}
		seen[key] = true
		if _, ok := RuleNamed(f.Retention); !ok {
			t.Errorf("%s.%s names no known retention rule (%q)", f.Table, f.Column, f.Retention)
		}
		if !slices.Contains(Purposes, f.Purpose) || f.What == "" || f.Erasure == "" {
			t.Errorf("%s.%s lacks a purpose, a description or an erasure", f.Table, f.Column)
		}
		if len(f.Roles()) == 0 {
			t.Errorf("%s.%s: no role has %q", f.Table, f.Column, f.See)
		}
		if f.Sealed && !f.Personal {
			t.Errorf("%s.%s is sealed but not marked personal", f.Table, f.Column)
		}
		if f.Personal && f.Purpose == Operation {
			t.Errorf("%s.%s is personal, so it needs a purpose the policy names, not %q", f.Table, f.Column, Operation)
		}
	}
	if !slices.Contains(Inventory()[0].Roles(), staff.Owner) {
		t.Error("the owner cannot see everything")
	}
}
