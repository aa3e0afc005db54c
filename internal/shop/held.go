package shop

// IndexHeldOrder is the blind-index purpose of the buyer of an order kept only for the
// legal retention after the buyer asked for erasure (package privacy): the shop's own
// lookups by email (purpose indexEmail) no longer find such an order.
const IndexHeldOrder = "shop.email.held"

// retainedOnly reports whether an order is kept only for the legal retention: its
// buyer asked for erasure (the privacy service moved its email index away from the
// shop's own, see IndexHeldOrder) or was already erased. Such an order serves no other
// use: no receipt is sent for it again.
func (s *Service) retainedOnly(o Order) bool {
	if o.EmailSealed == "" {
		return true
	}
	addr, err := s.sealer.OpenString(SealEmail, o.EmailSealed)
	return err == nil && o.EmailIndex != s.sealer.Index(indexEmail, addr)
}
