-- Newsletter purpose limitation: which blind indexes another purpose holds (purpose.go).

-- name: contact-indexes-held
SELECT DISTINCT email_index FROM contact_conversations WHERE email_index IN (?/*idx*/);

-- name: order-indexes-held
SELECT DISTINCT email_index FROM shop_orders WHERE email_index IN (?/*idx*/);
