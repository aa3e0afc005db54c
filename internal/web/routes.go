package web

import (
	"net/http"

	"github.com/candor-dev/candor/internal/staff"
)

// access says who may call a route.
type access struct {
	public bool             // anyone, signed in or not
	perm   staff.Permission // for staff routes: the permission needed ("" = any member)
	setup  bool             // reachable while a password change or 2FA enrolment is owed
}

var (
	anyone   = access{public: true}
	member_  = access{}
	setup    = access{setup: true}
	can      = func(p staff.Permission) access { return access{perm: p} }
	apiRoute = true
)

// route is one entry of the routing table.
type route struct {
	pattern string
	access  access
	api     bool // answers JSON: 401 instead of a redirect to sign-in
	handler func(http.ResponseWriter, *http.Request)
}

// routes is the whole HTTP surface of Candor and who may call each route. The route
// table test pins this list: a new route forces a decision about its access.
func (s *Server) routes() []route {
	return []route{
		// Public: probes, assets, the site, sign-in.
		{"GET /healthz", anyone, false, s.healthz},
		{"GET /readyz", anyone, false, s.readyz},
		{"GET /metrics", anyone, false, s.metrics.handler().ServeHTTP},
		{"GET /static/{file}", anyone, false, s.serveStatic},
		{"GET /{$}", anyone, false, s.site},
		{"GET /admin/login", anyone, false, s.loginPage},
		{"POST /admin/login", anyone, false, s.login},

		// Any signed-in member: their own account.
		{"POST /admin/logout", setup, false, s.logout},
		{"GET /admin/{$}", member_, false, s.home},
		{"GET /admin/account", setup, false, s.accountPage},
		{"POST /admin/account/password", setup, false, s.changePassword},
		{"GET /admin/account/2fa", setup, false, s.totpPage},
		{"POST /admin/account/2fa", setup, false, s.totpConfirm},
		{"GET /api/v1/me", member_, apiRoute, s.apiMe},

		// Staff management and the audit log: owners.
		{"GET /admin/staff", can(staff.ManageStaff), false, s.staffList},
		{"POST /admin/staff", can(staff.ManageStaff), false, s.staffAdd},
		{"GET /admin/staff/{id}", can(staff.ManageStaff), false, s.staffDetail},
		{"POST /admin/staff/{id}/{action}", can(staff.ManageStaff), false, s.staffAction},
		{"POST /admin/settings/require-2fa", can(staff.ManageStaff), false, s.setRequire2FA},
		{"GET /admin/audit", can(staff.ViewAudit), false, s.auditPage},
		{"GET /api/v1/audit", can(staff.ViewAudit), apiRoute, s.apiAudit},
	}
}
