package privacy

import "github.com/candor-dev/candor/internal/staff"

// The shop: catalogue, orders and what hangs off an order.
func shopTables() []Field {
	catalogue := append(append(append(append(append(
		table("shop_products", Fulfilment, RuleInstallation, staff.ManageShop, WithRow,
			col("id", "the product's number"), col("slug", "URL name"), col("name", "product name"),
			col("description", "description"), col("version", "current version"),
			col("platforms", "supported platforms"), col("active", "on sale or not"), col("created_at", "when added"),
		),
		table("shop_editions", Fulfilment, RuleInstallation, staff.ManageShop, WithRow,
			col("id", "the edition's number"), col("product_id", "the product"), col("slug", "URL name"),
			col("name", "edition name"), col("term_days", "licence term (0: perpetual)"), col("seats", "seats per unit"),
		)...),
		table("shop_prices", Fulfilment, RuleInstallation, staff.ManageShop, WithRow,
			col("edition_id", "the edition"), col("currency", "ISO 4217 code"), col("amount", "price in minor units"),
		)...),
		table("shop_downloads", Fulfilment, RuleInstallation, staff.ManageShop, WithRow,
			col("id", "the download's number"), col("product_id", "the product"), col("name", "label"),
			col("file", "file under the data directory"), col("url", "or an outside URL"),
		)...),
		table("shop_coupons", Fulfilment, RuleInstallation, staff.ManageShop, WithRow,
			col("id", "the coupon's number"), col("code", "the code"), col("percent_off", "percentage off"),
			col("amount_off", "amount off"), col("currency", "currency of amount_off"), col("expires_at", "expiry"),
			col("max_uses", "use limit"), col("used", "uses so far"), col("created_at", "when created"),
		)...),
		table("shop_invoice_seq", LegalObligation, RuleInstallation, staff.ManageShop, WithRow,
			col("id", "always 1"), col("last", "the last invoice number given (numbers have no gaps)"),
		)...)
	buyer := func(f Field) Field { return f.as(Identification).erased(Pseudonymised) }
	card := func(name, what string) Field { return pers(name, what).erased(Blanked) }
	book := func(name, what string) Field { return col(name, what).as(LegalObligation) }
	orders := table("shop_orders", Fulfilment, RuleOrder, staff.ManageShop, KeptIDs,
		col("id", "the order's number"),
		col("ref", "random public reference"),
		col("status", "pending, paid, fulfilled, failed, refunded or disputed"),
		col("mode", "payment mode"),
		buyer(pers("email_index", "keyed blind index of the buyer's email; replaced by a random value")),
		buyer(pers("email_sealed", "the buyer's email")).erased(Blanked),
		buyer(pers("name_sealed", "the buyer's name")).erased(Blanked),
		pers("country", "the buyer's country (tax)").as(LegalObligation).erased(Kept),
		col("product_id", "the product"), col("edition_id", "the edition"),
		book("product_slug", "the product as ordered"), book("edition_slug", "the edition as ordered"),
		book("product_name", "the product as ordered"), book("edition_name", "the edition as ordered"),
		book("seats", "seats bought"), book("term_days", "licence term"), book("quantity", "quantity"),
		book("currency", "currency"), book("unit_amount", "unit price"), book("subtotal", "subtotal"),
		book("discount", "discount"), book("tax", "tax"), book("tax_rate", "tax rate"),
		book("tax_inclusive", "whether prices include tax"), book("total", "total"),
		col("coupon_id", "the coupon"), book("coupon_code", "the coupon code used"),
		book("refunded", "refunded so far"), col("refund_reserved", "refunds asked, not settled"),
		col("attempt", "payment attempt number"), col("attempt_state", "state of the attempt"),
		col("attempt_at", "when the attempt started"), col("last_error", "the processor's code of the last failure"),
		card("method_id", "the processor's id of the payment method"),
		card("payment_id", "the processor's id of the payment"),
		card("session_id", "the processor's id of a hosted checkout"),
		card("card_brand", "card brand"),
		card("card_last4", "last 4 digits of the card"),
		card("card_exp_month", "card expiry month"),
		card("card_exp_year", "card expiry year"),
		book("invoice_no", "the invoice number"),
		book("created_at", "when ordered"), col("updated_at", "last change"), book("paid_at", "when paid"),
		col("erasure_requested_at", "when the buyer asked for erasure: the order is then kept only for the books (0: never)").as(LegalObligation),
	)
	after := append(append(
		table("shop_licences", Fulfilment, RuleOrder, staff.ManageShop, KeptIDs,
			col("id", "the licence's number"), col("order_id", "the order"),
			col("licence_id", "the licence's public id"), col("licence_key", "the signed key; holds no personal data"),
			col("seats", "seats"), col("expires_at", "expiry (0: perpetual)"),
			col("revoked_at", "when revoked"), col("created_at", "when issued"),
		),
		table("shop_refunds", LegalObligation, RuleOrder, staff.ManageShop, KeptIDs,
			col("id", "the refund's number"), col("order_id", "the order"), book("amount", "amount refunded"),
			col("idempotency_key", "the key sent to the processor"), col("processor_id", "the processor's id of the refund"),
			col("status", "pending, succeeded or failed"), col("staff_id", "who refunded"),
			book("created_at", "when asked"), col("updated_at", "last change"),
		)...),
		table("shop_payment_events", Fulfilment, RuleOrder, staff.ManageShop, WithRow,
			col("event_id", "the processor's id of a webhook event already handled"),
			col("type", "the event's type"), col("received_at", "when received"),
		)...)
	return append(append(catalogue, orders...), after...)
}
