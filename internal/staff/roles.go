package staff

import (
	"fmt"
	"github.com/candor-dev/candor/internal/errs"
	"slices"
	"strings"
)

// Role is a staff member's role; it decides the permissions.
type Role string

// The roles, from most to least powerful.
const (
	Owner     Role = "owner"     // everything, including staff management and the audit log
	Admin     Role = "admin"     // every domain, but not staff management or the audit log
	Support   Role = "support"   // the contact inbox and subscribers
	Marketing Role = "marketing" // campaigns and subscribers
	Analyst   Role = "analyst"   // visitor statistics only; no personal data
	ShopRole  Role = "shop"      // products and orders
)

// Roles lists every role in order of power.
var Roles = []Role{Owner, Admin, Support, Marketing, Analyst, ShopRole}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Roles, r) {
		return r, nil
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return "", fmt.Errorf("unknown role %q; the roles are %s", s, strings.Join(names, ", "))
}

// Permission is one thing a role may do.
type Permission string

// The permissions. Each domain checks its own through Principal.Can.
const (
	ManageStaff       Permission = "staff.manage"       // add, disable, change roles, reset
	ViewAudit         Permission = "audit.view"         // read the audit log
	ManageSettings    Permission = "settings.manage"    // installation-wide settings
	ReadInbox         Permission = "contact.read"       // contact messages (personal data)
	ManageSubscribers Permission = "subscribers.manage" // subscribers (personal data)
	ManageCampaigns   Permission = "campaigns.manage"   // compose and send campaigns
	ViewStats         Permission = "stats.view"         // aggregate visitor statistics
	ManageShop        Permission = "shop.manage"        // products, orders, customers
	ViewOutbox        Permission = "mail.outbox"        // the local mail outbox
	HandleRequests    Permission = "privacy.requests"   // find, export and erase one person's data across every domain
)

// matrix is the documented permission matrix (docs/roles.md mirrors it; a test pins it).
var matrix = map[Role][]Permission{
	Owner:     {ManageStaff, ViewAudit, ManageSettings, ReadInbox, ManageSubscribers, ManageCampaigns, ViewStats, ManageShop, ViewOutbox, HandleRequests},
	Admin:     {ManageSettings, ReadInbox, ManageSubscribers, ManageCampaigns, ViewStats, ManageShop, ViewOutbox, HandleRequests},
	Support:   {ReadInbox, ManageSubscribers},
	Marketing: {ManageSubscribers, ManageCampaigns},
	Analyst:   {ViewStats},
	ShopRole:  {ManageShop},
}

// Permissions lists what a role may do.
func (r Role) Permissions() []Permission { return slices.Clone(matrix[r]) }

// Can reports whether the role grants p.
func (r Role) Can(p Permission) bool { return slices.Contains(matrix[r], p) }

// Principal is who is acting: a signed-in staff member, or the command line.
type Principal struct {
	ID   int64 // 0 for the command line
	Role Role
	Name string // "staff:ID" or "cli": what the audit log records; never an email
}

// CLI is the principal of `candor` commands run on the server itself: whoever can run
// them can already read the data directory, so it holds the owner's permissions.
var CLI = Principal{Role: Owner, Name: "cli"}

// Can reports whether the principal may do p.
func (p Principal) Can(perm Permission) bool { return p.Role.Can(perm) }

// Subject names a staff member in the audit log.
func Subject(id int64) string { return fmt.Sprintf("staff:%d", id) }

// Require returns a forbidden error unless the principal may do perm.
func (p Principal) Require(perm Permission) error {
	if p.Can(perm) {
		return nil
	}
	return errs.E(errs.Forbidden, "You do not have permission to do that.")
}
