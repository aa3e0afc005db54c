package staff_test

import (
	"slices"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Promise: only authorized personnel access personal data. The permission matrix is
// pinned here, cell by cell, so that any change to who may do what fails this test and
// forces a deliberate decision (and an update of docs/roles.md).
func TestPermissionMatrixPinned(t *testing.T) {
	const (
		Y = true
		n = false
	)
	perms := []staff.Permission{
		staff.ManageStaff, staff.ViewAudit, staff.ManageSettings, staff.ReadInbox,
		staff.ManageSubscribers, staff.ManageCampaigns, staff.ViewStats, staff.ManageShop, staff.ViewOutbox,
		staff.HandleRequests,
	}
	// Columns in the order of perms:
	//            staff audit settings inbox subscr campaigns stats shop outbox requests
	want := map[staff.Role][]bool{
		staff.Owner:     {Y, Y, Y, Y, Y, Y, Y, Y, Y, Y},
		staff.Admin:     {n, n, Y, Y, Y, Y, Y, Y, Y, Y},
		staff.Support:   {n, n, n, Y, Y, n, n, n, n, n},
		staff.Marketing: {n, n, n, n, Y, Y, n, n, n, n},
		staff.Analyst:   {n, n, n, n, n, n, Y, n, n, n},
		staff.ShopRole:  {n, n, n, n, n, n, n, Y, n, n},
	}
	if len(staff.Roles) != len(want) {
		t.Fatalf("there are %d roles, the pinned matrix has %d: decide the new role's permissions here", len(staff.Roles), len(want))
	}
	for _, role := range staff.Roles {
		row, ok := want[role]
		if !ok {
			t.Fatalf("role %q is not pinned", role)
		}
		var granted []staff.Permission
		for i, p := range perms {
			if got := role.Can(p); got != row[i] {
				t.Errorf("%s.Can(%s) = %v; the pinned matrix says %v", role, p, got, row[i])
			}
			if got := (staff.Principal{ID: 7, Role: role, Name: "staff:7"}).Can(p); got != row[i] {
				t.Errorf("Principal{%s}.Can(%s) = %v; want %v", role, p, got, row[i])
			}
			if row[i] {
				granted = append(granted, p)
			}
		}
		// Permissions() lists exactly the granted ones: nothing outside the known set.
		got := role.Permissions()
		slices.Sort(got)
		slices.Sort(granted)
		if !slices.Equal(got, granted) {
			t.Errorf("%s.Permissions() = %v; want %v", role, got, granted)
		}
	}
	// Permissions() returns a copy: a caller cannot grant itself more.
	p := staff.Analyst.Permissions()
	if len(p) > 0 {
		p[0] = staff.ManageStaff
	}
	if staff.Analyst.Can(staff.ManageStaff) {
		t.Fatal("changing the slice from Permissions() changed the matrix")
	}
}

// Promise: only authorized personnel access personal data — an unknown or empty role
// grants nothing, and Require answers forbidden.
func TestRequire(t *testing.T) {
	tests := []struct {
		name      string
		principal staff.Principal
		perm      staff.Permission
		allowed   bool
	}{
		{"owner manages staff", staff.Principal{ID: 1, Role: staff.Owner}, staff.ManageStaff, true},
		{"command line is owner", staff.CLI, staff.ViewAudit, true},
		{"admin cannot manage staff", staff.Principal{ID: 2, Role: staff.Admin}, staff.ManageStaff, false},
		{"admin cannot read the audit log", staff.Principal{ID: 2, Role: staff.Admin}, staff.ViewAudit, false},
		{"analyst cannot read the inbox", staff.Principal{ID: 3, Role: staff.Analyst}, staff.ReadInbox, false},
		{"shop cannot read subscribers", staff.Principal{ID: 4, Role: staff.ShopRole}, staff.ManageSubscribers, false},
		{"support reads the inbox", staff.Principal{ID: 5, Role: staff.Support}, staff.ReadInbox, true},
		{"zero principal", staff.Principal{}, staff.ViewStats, false},
		{"unknown role", staff.Principal{ID: 6, Role: "superuser"}, staff.ViewStats, false},
		{"role in other case is not a role", staff.Principal{ID: 6, Role: "OWNER"}, staff.ViewStats, false},
		{"unknown permission", staff.Principal{ID: 1, Role: staff.Owner}, "everything", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.principal.Require(tt.perm)
			if tt.allowed {
				if err != nil {
					t.Fatalf("Require = %v; want nil", err)
				}
				return
			}
			if !errs.Is(err, errs.Forbidden) {
				t.Fatalf("Require = %v; want forbidden", err)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want staff.Role
		ok   bool
	}{
		{"owner", staff.Owner, true},
		{" Admin ", staff.Admin, true},
		{"SHOP", staff.ShopRole, true},
		{"", "", false},
		{"root", "", false},
		{"owner,admin", "", false},
	} {
		got, err := staff.ParseRole(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if staff.CLI.Name != "cli" || staff.CLI.ID != 0 {
		t.Fatalf("CLI principal = %+v", staff.CLI)
	}
	if got := staff.Subject(42); got != "staff:42" {
		t.Fatalf("Subject(42) = %q", got)
	}
}
