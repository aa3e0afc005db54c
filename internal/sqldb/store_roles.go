package sqldb

import (
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// Which store fills which role of the shop, staff and contact domains: each domain's
// Store is the composition of these role interfaces (see their store.go).
var (
	_ shop.CatalogueStore  = ShopStore{}
	_ shop.CouponStore     = ShopStore{}
	_ shop.OrderStore      = ShopStore{}
	_ shop.SettlementStore = ShopStore{}
	_ shop.ReportStore     = ShopStore{}
	_ shop.MailQueue       = ShopStore{}
	_ shop.OrderTx         = orderTx{}

	_ staff.MemberStore       = StaffStore{}
	_ staff.RecoveryCodeStore = StaffStore{}
	_ staff.SessionStore      = StaffStore{}
	_ staff.SettingStore      = StaffStore{}

	_ contact.InboxStore     = ContactStore{}
	_ contact.ThreadStore    = ContactStore{}
	_ contact.StaffDirectory = ContactStore{}
	_ contact.RetentionStore = ContactStore{}
)
