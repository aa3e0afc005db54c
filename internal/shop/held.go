package shop

// IndexHeldOrder is the blind-index purpose of the buyer of an order kept only for the
// legal retention after the buyer asked for erasure (package privacy): the shop's own
// lookups by email (purpose indexEmail) no longer find such an order.
const IndexHeldOrder = "shop.email.held"
