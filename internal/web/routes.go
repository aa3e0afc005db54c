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

// The access rules a route may have.
var (
	anyone   = access{public: true}
	signedIn = access{}                           // any signed-in member whose password and 2FA are in order
	setup    = access{setup: true}                // any signed-in member, even one who owes a password change or 2FA
	bearer   = access{public: true, bearer: true} // the guard lets it pass; withStatsToken demands the token
	can      = func(p staff.Permission) access { return access{perm: p} }
)

// route is one entry of the routing table.
type route struct {
	Pattern string           // the ServeMux pattern: method and path
	Access  access           // who may call it (guard)
	API     bool             // answers JSON: 401 instead of a redirect to sign-in
	Handler http.HandlerFunc // the area's handler
}

// routes is the whole HTTP surface of Candor and who may call each route. The route
// table test pins this list: a new route forces a decision about its access.
func (s *Server) routes() []route {
	return []route{
		// Public: probes, assets, the site, sign-in.
		{Pattern: "GET /healthz", Access: anyone, Handler: s.probes.healthz},
		{Pattern: "GET /readyz", Access: anyone, Handler: s.probes.readyz},
		{Pattern: "GET /metrics", Access: anyone, Handler: s.metricsGate.serve}, // loopback or --metrics-token only
		{Pattern: "GET /static/{file}", Access: anyone, Handler: s.serveStatic},
		{Pattern: "GET /{$}", Access: anyone, Handler: s.forms.site},
		{Pattern: "GET /admin/login", Access: anyone, Handler: s.accountPages.loginPage},
		{Pattern: "POST /admin/login", Access: anyone, Handler: s.accountPages.login},

		// Public: the anti-bot layer of every public form (docs/antibot.md).
		{Pattern: "GET /antibot.js", Access: anyone, Handler: s.antibotScript},
		{Pattern: "GET /antibot/challenge", Access: anyone, Handler: s.antibotChallenge},

		// Public: visitor statistics (the vendor's pages send them; docs/collect.md).
		// Cookieless, answered from memory; POST /collect bypasses the cross-origin check
		// (see NewServer) because it changes no state a visitor could abuse.
		{Pattern: "GET /tracker.js", Access: anyone, Handler: s.trackerScript},
		{Pattern: "POST /collect", Access: anyone, Handler: s.collector.collect},
		{Pattern: "OPTIONS /collect", Access: anyone, Handler: s.collector.collectPreflight},
		{Pattern: "GET /pixel.gif", Access: anyone, Handler: s.collector.pixel},

		// Public: the shop (docs/shop.md). The vendor's "Buy" buttons link to /buy/…;
		// card pages are no-store with a script-free CSP; card fields are accepted in a
		// POST body only, and shown or taken only over TLS or from loopback (cardsOverTLS). Webhooks are authenticated by their signature, not a session.
		{Pattern: "GET /shop", Access: anyone, Handler: s.shopOnly(s.checkout.shopPage)},
		{Pattern: "GET /buy/{product}/{edition}", Access: anyone, Handler: s.shopOnly(s.checkout.buyPage)},
		{Pattern: "POST /buy/{product}/{edition}", Access: anyone, Handler: s.shopOnly(s.checkout.buyPost)},
		{Pattern: "GET /checkout/{ref}/pay", Access: anyone, Handler: s.shopOnly(s.checkout.cardsOverTLS(s.checkout.buyerOnly(s.checkout.payPage)))},
		{Pattern: "POST /checkout/{ref}/pay", Access: anyone, Handler: s.shopOnly(s.checkout.cardsOverTLS(s.checkout.buyerOnly(s.checkout.payPost)))},
		{Pattern: "POST /checkout/{ref}/hosted", Access: anyone, Handler: s.shopOnly(s.checkout.buyerOnly(s.checkout.hostedPost))},
		{Pattern: "GET /checkout/{ref}/return", Access: anyone, Handler: s.shopOnly(s.checkout.cardsOverTLS(s.checkout.buyerOnly(s.checkout.checkoutReturn)))},
		{Pattern: "POST /checkout/{ref}/authenticate", Access: anyone, Handler: s.shopOnly(s.checkout.buyerOnly(s.checkout.testAuthenticate))},
		{Pattern: "POST /checkout/{ref}/links", Access: anyone, Handler: s.shopOnly(s.checkout.mailLinks)},
		{Pattern: "GET /checkout/links/sent", Access: anyone, Handler: s.shopOnly(s.checkout.mailLinksSent)},
		{Pattern: "GET /orders/find", Access: anyone, Handler: s.shopOnly(s.checkout.findOrdersPage)},
		{Pattern: "POST /orders/find", Access: anyone, Handler: s.shopOnly(s.checkout.findOrders)},
		{Pattern: "GET /orders/find/sent", Access: anyone, Handler: s.shopOnly(s.checkout.findOrdersSent)},
		{Pattern: "GET /orders/{ref}", Access: anyone, Handler: s.shopOnly(s.checkout.customerOrder)},
		{Pattern: "GET /orders/{ref}/downloads/{id}", Access: anyone, Handler: s.shopOnly(s.checkout.download)},
		{Pattern: "GET /licences/revoked", Access: anyone, Handler: s.shopOnly(s.checkout.revokedLicences)},
		{Pattern: "POST /webhooks/stripe", Access: anyone, Handler: s.shopOnly(s.checkout.stripeWebhook)},

		// Public: the privacy notice, generated from the inventory and the configuration
		// (docs/privacy-page.md); linked from every public page, mail footer and checkout.
		{Pattern: "GET /privacy", Access: anyone, Handler: s.privacyNotice.page},
		{Pattern: "GET /privacy.json", Access: anyone, Handler: s.privacyNotice.json},

		// Public: the newsletter (called from the vendor's website; docs/newsletter.md).
		{Pattern: "GET /subscribe", Access: anyone, Handler: s.forms.subscribePage},
		{Pattern: "POST /subscribe", Access: anyone, Handler: s.forms.subscribe},
		{Pattern: "OPTIONS /subscribe", Access: anyone, Handler: s.forms.preflight},
		{Pattern: "GET /subscribe/thanks", Access: anyone, Handler: s.forms.subscribeThanks},
		{Pattern: "GET /subscribe/confirm/{token}", Access: anyone, Handler: s.forms.confirmPage},
		{Pattern: "POST /subscribe/confirm/{token}", Access: anyone, Handler: s.forms.confirm},
		{Pattern: "GET /unsubscribe/{token}", Access: anyone, Handler: s.forms.unsubscribePage},
		{Pattern: "POST /unsubscribe/{token}", Access: anyone, Handler: s.forms.unsubscribe},
		{Pattern: "GET /preferences/{token}", Access: anyone, Handler: s.forms.preferencesPage},
		{Pattern: "POST /preferences/{token}", Access: anyone, Handler: s.forms.preferences},

		// Public: the contact form (called from the vendor's website; docs/contact.md).
		{Pattern: "GET /contact", Access: anyone, Handler: s.forms.contactPage},
		{Pattern: "POST /contact", Access: anyone, Handler: s.forms.postContact},
		{Pattern: "OPTIONS /contact", Access: anyone, Handler: s.forms.preflight},
		{Pattern: "GET /contact/thanks", Access: anyone, Handler: s.forms.contactThanks},

		// Public: a person's own data (docs/privacy-requests.md). The form mails a sealed
		// link valid one hour; the view, export and erasure need it. 404 without the
		// privacy service.
		{Pattern: "GET /my-data", Access: anyone, Handler: s.privacyOnly(s.myData.myDataPage)},
		{Pattern: "POST /my-data", Access: anyone, Handler: s.privacyOnly(s.myData.myDataRequest)},
		{Pattern: "GET /my-data/sent", Access: anyone, Handler: s.privacyOnly(s.myData.myDataSent)},
		{Pattern: "GET /my-data/view", Access: anyone, Handler: s.privacyOnly(s.myData.myDataView)},
		{Pattern: "POST /my-data/view/export", Access: anyone, Handler: s.privacyOnly(s.myData.myDataExport)},
		{Pattern: "POST /my-data/view/erase", Access: anyone, Handler: s.privacyOnly(s.myData.myDataErase)},

		// Any signed-in member: their own account.
		{Pattern: "POST /admin/logout", Access: setup, Handler: s.accountPages.logout},
		{Pattern: "GET /admin/{$}", Access: signedIn, Handler: s.accountPages.home},
		{Pattern: "GET /admin/account", Access: setup, Handler: s.accountPages.accountPage},
		{Pattern: "POST /admin/account/password", Access: setup, Handler: s.accountPages.changePassword},
		{Pattern: "POST /admin/account/name", Access: signedIn, Handler: s.accountPages.setDisplayName},
		{Pattern: "GET /admin/account/2fa", Access: setup, Handler: s.accountPages.totpPage},
		{Pattern: "POST /admin/account/2fa", Access: setup, Handler: s.accountPages.totpConfirm},
		{Pattern: "GET /api/v1/me", Access: signedIn, API: true, Handler: s.accountPages.apiMe},

		// The contact inbox: folders, conversations, replies, notes, bulk actions and
		// exports (support, admins, owners). Every view and export is audited by the domain.
		{Pattern: "GET /admin/inbox", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxList},
		{Pattern: "POST /admin/inbox/search", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxSearch},
		{Pattern: "POST /admin/inbox/bulk", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxBulk},
		{Pattern: "GET /admin/inbox/export", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxExport},
		{Pattern: "GET /admin/inbox/{id}", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxConversation},
		{Pattern: "GET /admin/inbox/{id}/export.csv", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxExportOne("csv")},
		{Pattern: "GET /admin/inbox/{id}/export.json", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxExportOne("json")},
		{Pattern: "POST /admin/inbox/{id}/reply", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxReply},
		{Pattern: "POST /admin/inbox/{id}/note", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxNote},
		{Pattern: "POST /admin/inbox/{id}/move", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxMove},
		{Pattern: "POST /admin/inbox/{id}/assign", Access: can(staff.ReadInbox), Handler: s.inboxPages.inboxAssign},

		// Subscribers: list, search, view, delete, import, export (support, marketing,
		// admins, owners). Every look at an address is audited by the domain.
		{Pattern: "GET /admin/subscribers", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberList},
		{Pattern: "POST /admin/subscribers/search", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberSearch},
		{Pattern: "GET /admin/subscribers/export.csv", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberExport},
		{Pattern: "GET /admin/subscribers/import", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberImportPage},
		{Pattern: "POST /admin/subscribers/import", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberImportUpload},
		{Pattern: "POST /admin/subscribers/import/commit", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberImportCommit},
		{Pattern: "GET /admin/subscribers/{id}", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberDetail},
		{Pattern: "POST /admin/subscribers/{id}/delete", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.subscriberDelete},

		// Mailing lists: create, rename, delete (whoever manages subscribers). Lists hold
		// no personal data; every change is audited by the domain.
		{Pattern: "GET /admin/lists", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.listsPage},
		{Pattern: "POST /admin/lists", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.listCreate},
		{Pattern: "POST /admin/lists/{id}", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.listUpdate},
		{Pattern: "POST /admin/lists/{id}/delete", Access: can(staff.ManageSubscribers), Handler: s.subscriberPages.listDelete},

		// Campaigns: compose, preview, test, schedule, send, follow (marketing, admins,
		// owners). Aggregate figures only, never per recipient.
		{Pattern: "GET /admin/campaigns", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignList},
		{Pattern: "GET /admin/campaigns/new", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignNew},
		{Pattern: "POST /admin/campaigns", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignCreate},
		{Pattern: "GET /admin/campaigns/{id}", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignPage},
		{Pattern: "POST /admin/campaigns/{id}", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignUpdate},
		{Pattern: "GET /admin/campaigns/{id}/edit", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignEdit},
		{Pattern: "GET /admin/campaigns/{id}/preview", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignPreview},
		{Pattern: "GET /admin/campaigns/{id}/preview.html", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignPreviewHTML},
		{Pattern: "POST /admin/campaigns/{id}/test", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignTest},
		{Pattern: "POST /admin/campaigns/{id}/schedule", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignSchedule},
		{Pattern: "GET /admin/campaigns/{id}/send", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignSendConfirm},
		{Pattern: "POST /admin/campaigns/{id}/send", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignSend},
		{Pattern: "POST /admin/campaigns/{id}/pause", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignPause},
		{Pattern: "POST /admin/campaigns/{id}/resume", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignResume},
		{Pattern: "POST /admin/campaigns/{id}/cancel", Access: can(staff.ManageCampaigns), Handler: s.campaignPages.campaignCancel},
		{Pattern: "GET /api/v1/campaigns/{id}/progress", Access: can(staff.ManageCampaigns), API: true, Handler: s.campaignPages.apiCampaignProgress},

		// Visitor statistics: the dashboard (analysts, admins, owners). Aggregates only,
		// small-count suppression applied by analytics.Reports.
		{Pattern: "GET /admin/stats", Access: can(staff.ViewStats), Handler: s.statsPages.statsPage},
		{Pattern: "GET /admin/stats/export.csv", Access: can(staff.ViewStats), Handler: s.statsPages.statsExport},
		{Pattern: "POST /admin/stats/report-subscription", Access: can(staff.ViewStats), Handler: s.statsPages.statsReportSubscription},
		{Pattern: "POST /admin/stats/goals", Access: can(staff.ViewStats), Handler: s.statsPages.statsGoalCreate},
		{Pattern: "POST /admin/stats/goals/{id}/delete", Access: can(staff.ViewStats), Handler: s.statsPages.statsGoalDelete},
		{Pattern: "GET /admin/stats/tokens", Access: can(staff.ViewStats), Handler: s.statsPages.statsTokensPage},
		{Pattern: "POST /admin/stats/tokens", Access: can(staff.ViewStats), Handler: s.statsPages.statsTokenCreate},
		{Pattern: "POST /admin/stats/tokens/{id}/revoke", Access: can(staff.ViewStats), Handler: s.statsPages.statsTokenRevoke},

		// The statistics API: read-only, by "Authorization: Bearer TOKEN" only (tokens made
		// on /admin/stats/tokens or with candor stats token add), rate-limited per token.
		{Pattern: "GET /api/stats", Access: bearer, API: true, Handler: s.statsPages.withStatsToken(s.statsPages.apiStats)},
		{Pattern: "GET /api/stats.csv", Access: bearer, API: true, Handler: s.statsPages.withStatsToken(s.statsPages.apiStatsCSV)},

		// The shop: catalogue, coupons, orders, refunds, sales (role shop, admins, owners).
		// Every change and every look at an order is audited by the domain.
		{Pattern: "GET /admin/shop", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopProducts)},
		{Pattern: "GET /admin/shop/products/new", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopProductNew)},
		{Pattern: "POST /admin/shop/products/new", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopProductCreate)},
		{Pattern: "GET /admin/shop/products/{id}", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopProductPage)},
		{Pattern: "POST /admin/shop/products/{id}", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopProductSave)},
		{Pattern: "POST /admin/shop/products/{id}/editions", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopEditionSave)},
		{Pattern: "POST /admin/shop/products/{id}/downloads", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopDownloadAdd)},
		{Pattern: "POST /admin/shop/products/{id}/downloads/delete", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopDownloadDelete)},
		{Pattern: "GET /admin/shop/coupons", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopCoupons)},
		{Pattern: "POST /admin/shop/coupons", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopCouponCreate)},
		{Pattern: "POST /admin/shop/coupons/{id}/end", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopCouponEnd)},
		{Pattern: "GET /admin/shop/orders", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopOrders)},
		{Pattern: "POST /admin/shop/orders/search", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopOrderSearch)},
		{Pattern: "GET /admin/shop/orders/{id}", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopOrder)},
		{Pattern: "POST /admin/shop/orders/{id}/refund", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopRefund)},
		{Pattern: "POST /admin/shop/orders/{id}/resend", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopResendReceipt)},
		{Pattern: "POST /admin/shop/orders/{id}/revoke", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopRevokeLicence)},
		{Pattern: "GET /admin/shop/report", Access: can(staff.ManageShop), Handler: s.shopOnly(s.shopAdmin.shopReport)},

		// The mail outbox: what was sent, what waits, dead letters (admins, owners).
		{Pattern: "GET /admin/outbox", Access: can(staff.ViewOutbox), Handler: s.outboxPages.outboxList},
		{Pattern: "GET /admin/outbox/{id}", Access: can(staff.ViewOutbox), Handler: s.outboxPages.outboxDetail},
		{Pattern: "POST /admin/outbox/{id}/requeue", Access: can(staff.ViewOutbox), Handler: s.outboxPages.outboxRequeue},

		// Data requests: one person's data across every domain, its export and erasure,
		// and the recorded requests with their deadlines (owners and admins). The address
		// travels in POST bodies only; every step is a recorded, audited request.
		{Pattern: "GET /admin/data-requests", Access: can(staff.HandleRequests), Handler: s.privacyOnly(s.dataRequests.dataRequestsPage)},
		{Pattern: "POST /admin/data-requests/find", Access: can(staff.HandleRequests), Handler: s.privacyOnly(s.dataRequests.dataRequestFind)},
		{Pattern: "POST /admin/data-requests/export", Access: can(staff.HandleRequests), Handler: s.privacyOnly(s.dataRequests.dataRequestExport)},
		{Pattern: "POST /admin/data-requests/erase", Access: can(staff.HandleRequests), Handler: s.privacyOnly(s.dataRequests.dataRequestErase)},
		// The Promises page: each promise of the privacy policy and the checks behind it
		// (owners, admins; docs/privacy-audit.md). Messages and listings hold no personal data.
		{Pattern: "GET /admin/promises", Access: can(staff.ManageSettings), Handler: s.promisePages.promisesPage},
		{Pattern: "POST /admin/promises/run", Access: can(staff.ManageSettings), Handler: s.promisePages.promisesRun},

		// Staff management and the audit log: owners.
		{Pattern: "GET /admin/staff", Access: can(staff.ManageStaff), Handler: s.staffPages.staffList},
		{Pattern: "POST /admin/staff", Access: can(staff.ManageStaff), Handler: s.staffPages.staffAdd},
		{Pattern: "GET /admin/staff/{id}", Access: can(staff.ManageStaff), Handler: s.staffPages.staffDetail},
		{Pattern: "POST /admin/staff/{id}/{action}", Access: can(staff.ManageStaff), Handler: s.staffPages.staffAction},
		{Pattern: "POST /admin/settings/require-2fa", Access: can(staff.ManageStaff), Handler: s.staffPages.setRequire2FA},
		{Pattern: "GET /admin/audit", Access: can(staff.ViewAudit), Handler: s.auditPages.auditPage},
		{Pattern: "GET /api/v1/audit", Access: can(staff.ViewAudit), API: true, Handler: s.auditPages.apiAudit},
	}
}

// privacyOnly answers 404 when the server was built without the privacy service
// (tests that do not need it).
func (s *Server) privacyOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.myData.privacy == nil || s.myData.links == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}
}

// shopOnly answers 404 when the installation runs without a shop: every shop route,
// public or staff, is wrapped in it in the routes table.
func (s *Server) shopOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.shop == nil {
			s.fail(w, r, errNoShop)
			return
		}
		h(w, r)
	}
}
