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
	bearer bool             // a statistics API token only (withStatsToken); never a session cookie
}

var (
	anyone   = access{public: true}
	member_  = access{}
	setup    = access{setup: true}
	bearer   = access{public: true, bearer: true} // the guard lets it pass; withStatsToken demands the token
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

		// Public: the anti-bot layer of every public form (docs/antibot.md).
		{"GET /antibot.js", anyone, false, s.antibotScript},
		{"GET /antibot/challenge", anyone, false, s.antibotChallenge},

		// Public: visitor statistics (the vendor's pages send them; docs/collect.md).
		// Cookieless, answered from memory; POST /collect bypasses the cross-origin check
		// (see NewServer) because it changes no state a visitor could abuse.
		{"GET /tracker.js", anyone, false, s.trackerScript},
		{"POST /collect", anyone, false, s.collect},
		{"OPTIONS /collect", anyone, false, s.collectPreflight},
		{"GET /pixel.gif", anyone, false, s.pixel},

		// Public: the shop (docs/shop.md). The vendor's "Buy" buttons link to /buy/…;
		// card pages are no-store with a script-free CSP; card fields are accepted in a
		// POST body only. Webhooks are authenticated by their signature, not a session.
		{"GET /shop", anyone, false, s.shopOnly(s.shopPage)},
		{"GET /buy/{product}/{edition}", anyone, false, s.shopOnly(s.buyPage)},
		{"POST /buy/{product}/{edition}", anyone, false, s.shopOnly(s.buyPost)},
		{"GET /checkout/{ref}/pay", anyone, false, s.shopOnly(s.payPage)},
		{"POST /checkout/{ref}/pay", anyone, false, s.shopOnly(s.payPost)},
		{"POST /checkout/{ref}/hosted", anyone, false, s.shopOnly(s.hostedPost)},
		{"GET /checkout/{ref}/return", anyone, false, s.shopOnly(s.checkoutReturn)},
		{"POST /checkout/{ref}/authenticate", anyone, false, s.shopOnly(s.testAuthenticate)},
		{"GET /orders/find", anyone, false, s.shopOnly(s.findOrdersPage)},
		{"POST /orders/find", anyone, false, s.shopOnly(s.findOrders)},
		{"GET /orders/find/sent", anyone, false, s.shopOnly(s.findOrdersSent)},
		{"GET /orders/{ref}", anyone, false, s.shopOnly(s.customerOrder)},
		{"GET /orders/{ref}/downloads/{id}", anyone, false, s.shopOnly(s.download)},
		{"GET /licences/revoked", anyone, false, s.shopOnly(s.revokedLicences)},
		{"POST /webhooks/stripe", anyone, false, s.shopOnly(s.stripeWebhook)},

		// Public: the newsletter (called from the vendor's website; docs/newsletter.md).
		{"GET /subscribe", anyone, false, s.subscribePage},
		{"POST /subscribe", anyone, false, s.subscribe},
		{"OPTIONS /subscribe", anyone, false, s.preflight},
		{"GET /subscribe/thanks", anyone, false, s.subscribeThanks},
		{"GET /subscribe/confirm/{token}", anyone, false, s.confirmPage},
		{"POST /subscribe/confirm/{token}", anyone, false, s.confirm},
		{"GET /unsubscribe/{token}", anyone, false, s.unsubscribePage},
		{"POST /unsubscribe/{token}", anyone, false, s.unsubscribe},
		{"GET /preferences/{token}", anyone, false, s.preferencesPage},
		{"POST /preferences/{token}", anyone, false, s.preferences},

		// Public: the contact form (called from the vendor's website; docs/contact.md).
		{"GET /contact", anyone, false, s.contactPage},
		{"POST /contact", anyone, false, s.postContact},
		{"OPTIONS /contact", anyone, false, s.preflight},
		{"GET /contact/thanks", anyone, false, s.contactThanks},

		// Any signed-in member: their own account.
		{"POST /admin/logout", setup, false, s.logout},
		{"GET /admin/{$}", member_, false, s.home},
		{"GET /admin/account", setup, false, s.accountPage},
		{"POST /admin/account/password", setup, false, s.changePassword},
		{"POST /admin/account/name", member_, false, s.setDisplayName},
		{"GET /admin/account/2fa", setup, false, s.totpPage},
		{"POST /admin/account/2fa", setup, false, s.totpConfirm},
		{"GET /api/v1/me", member_, apiRoute, s.apiMe},

		// The contact inbox: folders, conversations, replies, notes, bulk actions and
		// exports (support, admins, owners). Every view and export is audited by the domain.
		{"GET /admin/inbox", can(staff.ReadInbox), false, s.inboxList},
		{"POST /admin/inbox/bulk", can(staff.ReadInbox), false, s.inboxBulk},
		{"GET /admin/inbox/export", can(staff.ReadInbox), false, s.inboxExport},
		{"GET /admin/inbox/{id}", can(staff.ReadInbox), false, s.inboxConversation},
		{"GET /admin/inbox/{id}/export.csv", can(staff.ReadInbox), false, s.inboxExportOne("csv")},
		{"GET /admin/inbox/{id}/export.json", can(staff.ReadInbox), false, s.inboxExportOne("json")},
		{"POST /admin/inbox/{id}/reply", can(staff.ReadInbox), false, s.inboxReply},
		{"POST /admin/inbox/{id}/note", can(staff.ReadInbox), false, s.inboxNote},
		{"POST /admin/inbox/{id}/move", can(staff.ReadInbox), false, s.inboxMove},
		{"POST /admin/inbox/{id}/assign", can(staff.ReadInbox), false, s.inboxAssign},

		// Subscribers: list, search, view, delete, import, export (support, marketing,
		// admins, owners). Every look at an address is audited by the domain.
		{"GET /admin/subscribers", can(staff.ManageSubscribers), false, s.subscriberList},
		{"GET /admin/subscribers/export.csv", can(staff.ManageSubscribers), false, s.subscriberExport},
		{"GET /admin/subscribers/import", can(staff.ManageSubscribers), false, s.subscriberImportPage},
		{"POST /admin/subscribers/import", can(staff.ManageSubscribers), false, s.subscriberImportUpload},
		{"POST /admin/subscribers/import/commit", can(staff.ManageSubscribers), false, s.subscriberImportCommit},
		{"GET /admin/subscribers/{id}", can(staff.ManageSubscribers), false, s.subscriberDetail},
		{"POST /admin/subscribers/{id}/delete", can(staff.ManageSubscribers), false, s.subscriberDelete},

		// Mailing lists: create, rename, delete (whoever manages subscribers). Lists hold
		// no personal data; every change is audited by the domain.
		{"GET /admin/lists", can(staff.ManageSubscribers), false, s.listsPage},
		{"POST /admin/lists", can(staff.ManageSubscribers), false, s.listCreate},
		{"POST /admin/lists/{id}", can(staff.ManageSubscribers), false, s.listUpdate},
		{"POST /admin/lists/{id}/delete", can(staff.ManageSubscribers), false, s.listDelete},

		// Campaigns: compose, preview, test, schedule, send, follow (marketing, admins,
		// owners). Aggregate figures only, never per recipient.
		{"GET /admin/campaigns", can(staff.ManageCampaigns), false, s.campaignList},
		{"GET /admin/campaigns/new", can(staff.ManageCampaigns), false, s.campaignNew},
		{"POST /admin/campaigns", can(staff.ManageCampaigns), false, s.campaignCreate},
		{"GET /admin/campaigns/{id}", can(staff.ManageCampaigns), false, s.campaignPage},
		{"POST /admin/campaigns/{id}", can(staff.ManageCampaigns), false, s.campaignUpdate},
		{"GET /admin/campaigns/{id}/edit", can(staff.ManageCampaigns), false, s.campaignEdit},
		{"GET /admin/campaigns/{id}/preview", can(staff.ManageCampaigns), false, s.campaignPreview},
		{"GET /admin/campaigns/{id}/preview.html", can(staff.ManageCampaigns), false, s.campaignPreviewHTML},
		{"POST /admin/campaigns/{id}/test", can(staff.ManageCampaigns), false, s.campaignTest},
		{"POST /admin/campaigns/{id}/schedule", can(staff.ManageCampaigns), false, s.campaignSchedule},
		{"GET /admin/campaigns/{id}/send", can(staff.ManageCampaigns), false, s.campaignSendConfirm},
		{"POST /admin/campaigns/{id}/send", can(staff.ManageCampaigns), false, s.campaignSend},
		{"POST /admin/campaigns/{id}/pause", can(staff.ManageCampaigns), false, s.campaignPause},
		{"POST /admin/campaigns/{id}/resume", can(staff.ManageCampaigns), false, s.campaignResume},
		{"POST /admin/campaigns/{id}/cancel", can(staff.ManageCampaigns), false, s.campaignCancel},
		{"GET /api/v1/campaigns/{id}/progress", can(staff.ManageCampaigns), apiRoute, s.apiCampaignProgress},

		// Visitor statistics: the dashboard (analysts, admins, owners). Aggregates only,
		// small-count suppression applied by analytics.Reports.
		{"GET /admin/stats", can(staff.ViewStats), false, s.statsPage},
		{"GET /admin/stats/export.csv", can(staff.ViewStats), false, s.statsExport},
		{"POST /admin/stats/report-subscription", can(staff.ViewStats), false, s.statsReportSubscription},
		{"POST /admin/stats/goals", can(staff.ViewStats), false, s.statsGoalCreate},
		{"POST /admin/stats/goals/{id}/delete", can(staff.ViewStats), false, s.statsGoalDelete},
		{"GET /admin/stats/tokens", can(staff.ViewStats), false, s.statsTokensPage},
		{"POST /admin/stats/tokens", can(staff.ViewStats), false, s.statsTokenCreate},
		{"POST /admin/stats/tokens/{id}/revoke", can(staff.ViewStats), false, s.statsTokenRevoke},

		// The statistics API: read-only, by "Authorization: Bearer TOKEN" only (tokens made
		// on /admin/stats/tokens or with candor stats token add), rate-limited per token.
		{"GET /api/stats", bearer, apiRoute, s.withStatsToken(s.apiStats)},
		{"GET /api/stats.csv", bearer, apiRoute, s.withStatsToken(s.apiStatsCSV)},

		// The shop: catalogue, coupons, orders, refunds, sales (role shop, admins, owners).
		// Every change and every look at an order is audited by the domain.
		{"GET /admin/shop", can(staff.ManageShop), false, s.shopOnly(s.shopProducts)},
		{"GET /admin/shop/products/new", can(staff.ManageShop), false, s.shopOnly(s.shopProductNew)},
		{"POST /admin/shop/products/new", can(staff.ManageShop), false, s.shopOnly(s.shopProductCreate)},
		{"GET /admin/shop/products/{id}", can(staff.ManageShop), false, s.shopOnly(s.shopProductPage)},
		{"POST /admin/shop/products/{id}", can(staff.ManageShop), false, s.shopOnly(s.shopProductSave)},
		{"POST /admin/shop/products/{id}/editions", can(staff.ManageShop), false, s.shopOnly(s.shopEditionSave)},
		{"POST /admin/shop/products/{id}/downloads", can(staff.ManageShop), false, s.shopOnly(s.shopDownloadAdd)},
		{"POST /admin/shop/products/{id}/downloads/delete", can(staff.ManageShop), false, s.shopOnly(s.shopDownloadDelete)},
		{"GET /admin/shop/coupons", can(staff.ManageShop), false, s.shopOnly(s.shopCoupons)},
		{"POST /admin/shop/coupons", can(staff.ManageShop), false, s.shopOnly(s.shopCouponCreate)},
		{"POST /admin/shop/coupons/{id}/end", can(staff.ManageShop), false, s.shopOnly(s.shopCouponEnd)},
		{"GET /admin/shop/orders", can(staff.ManageShop), false, s.shopOnly(s.shopOrders)},
		{"GET /admin/shop/orders/{id}", can(staff.ManageShop), false, s.shopOnly(s.shopOrder)},
		{"POST /admin/shop/orders/{id}/refund", can(staff.ManageShop), false, s.shopOnly(s.shopRefund)},
		{"POST /admin/shop/orders/{id}/resend", can(staff.ManageShop), false, s.shopOnly(s.shopResendReceipt)},
		{"POST /admin/shop/orders/{id}/revoke", can(staff.ManageShop), false, s.shopOnly(s.shopRevokeLicence)},
		{"GET /admin/shop/report", can(staff.ManageShop), false, s.shopOnly(s.shopReport)},

		// The mail outbox: what was sent, what waits, dead letters (admins, owners).
		{"GET /admin/outbox", can(staff.ViewOutbox), false, s.outboxList},
		{"GET /admin/outbox/{id}", can(staff.ViewOutbox), false, s.outboxDetail},
		{"POST /admin/outbox/{id}/requeue", can(staff.ViewOutbox), false, s.outboxRequeue},

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
